// What InfluxDB clients call besides writing, answered the way InfluxDB answers, so that
// node-influx, Telegraf's outputs and the v2 client libraries start cleanly against
// factoryhub (docs/api.md "InfluxDB clients"):
//   GET|HEAD /ping      204 with X-Influxdb-Version (v1 clients' liveness check)
//   GET /health         v2's health document
//   GET /ready          v2's readiness document
//   GET|POST /query     InfluxQL (api/influxql/parser.h): SELECT with aggregates, GROUP BY
//                       time and tags, fill; SHOW MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD
//                       KEYS, SERIES, RETENTION POLICIES, DATABASES; CREATE DATABASE. What
//                       Grafana's InfluxDB data source and the v1 client libraries send.
// Points go to one hub whatever database or bucket a write names, so a database is only a
// name here: CREATE DATABASE remembers it for SHOW DATABASES while the server runs, and every
// database reads the hub's tags, seen as measurements (api/influxql/series_index.h).
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "api/http_message.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::api {

// SHOW DATABASES lists at most this many names created by CREATE DATABASE.
inline constexpr size_t kMaxDatabaseNames = 1000;

// The InfluxDB version that clients are told (they check the major version).
inline constexpr const char* kInfluxCompatVersion = "1.8.10";

class InfluxCompat {
 public:
  // `hub_name` is always listed as a database.
  InfluxCompat(std::string hub_name, TimestampNs started);

  static void HandlePing(const HttpRequest& req, HttpResponse& res);
  void HandleHealth(const HttpRequest& req, HttpResponse& res) const;
  void HandleReady(const HttpRequest& req, HttpResponse& res) const;
  void HandleQuery(Hub& hub, const HttpRequest& req, HttpResponse& res);

 private:
  const std::string hub_name_;
  const TimestampNs started_;
  std::mutex mu_;
  std::set<std::string> databases_;  // guarded by mu_: created by CREATE DATABASE
};

}  // namespace fh::api
