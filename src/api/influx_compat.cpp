#include "api/influx_compat.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/http_reply.h"
#include "api/influxql/parser.h"
#include "api/influxql/statement_runner.h"
#include "api/route_scope.h"
#include "common/time.h"

namespace fh::api {

namespace {

std::string Uptime(TimestampNs since) {
  const int64_t s = std::max<int64_t>(0, (NowNs() - since) / 1'000'000'000);
  return fmt::format("{}h{}m{}s", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

InfluxCompat::InfluxCompat(std::string hub_name, TimestampNs started)
    : hub_name_(std::move(hub_name)), started_(started) {}

void InfluxCompat::HandlePing(const HttpRequest& req, HttpResponse& res) {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  res.SetHeader("X-Influxdb-Build", "OSS");
  if (req.Param("verbose") == "true") {
    ReplyJson(res, {{"version", kInfluxCompatVersion}});
    return;
  }
  res.status = 204;
}

void InfluxCompat::HandleHealth(const HttpRequest&, HttpResponse& res) const {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  ReplyJson(res, {{"name", "influxdb"},
                  {"message", "ready for queries and writes"},
                  {"status", "pass"},
                  {"checks", nlohmann::ordered_json::array()},
                  {"version", kInfluxCompatVersion},
                  {"commit", "factoryhub"}});
}

void InfluxCompat::HandleReady(const HttpRequest&, HttpResponse& res) const {
  ReplyJson(res,
            {{"status", "ready"}, {"started", FormatRfc3339(started_)}, {"up", Uptime(started_)}});
}

void InfluxCompat::HandleQuery(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  std::string q = req.Param("q");
  // Telegraf and Grafana post the query as a form; node-influx puts it in the URL.
  if (q.empty() && req.method == "POST" &&
      req.Header("Content-Type").starts_with("application/x-www-form-urlencoded")) {
    HttpRequest form;
    if (ParseTarget("/?" + req.body, &form).ok()) q = form.Param("q");
  }
  if (q.empty()) {
    ReplyJson(res, {{"error", "missing required parameter \"q\""}}, 400);
    return;
  }
  int64_t epoch_unit = 0;
  if (!influxql::ParseEpochParameter(req.Param("epoch"), &epoch_unit)) {
    ReplyJson(
        res,
        {{"error", fmt::format("invalid epoch '{}': n, u, ms, s, m or h", req.Param("epoch"))}},
        400);
    return;
  }
  const int64_t now = NowNs();
  Result<std::vector<influxql::Statement>> statements = influxql::Parse(q, now);
  if (!statements.ok()) {
    ReplyJson(res, {{"error", statements.status().message()}}, 400);
    return;
  }
  // The series index is built once a request, and only when a statement reads data.
  std::optional<influxql::SeriesIndex> index;
  auto index_of = [&]() -> Result<const influxql::SeriesIndex*> {
    if (!index) {
      FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, hub.storage().ListTags());
      if (!req.scope.empty()) {
        // A scoped principal sees the tags of its part of the plant only.
        FH_ASSIGN_OR_RETURN(std::vector<std::string> visible, TagsInScope(hub, req.scope));
        std::sort(visible.begin(), visible.end());
        std::erase_if(tags, [&](const TagInfo& t) {
          return !std::binary_search(visible.begin(), visible.end(), t.name);
        });
      }
      index.emplace(tags);
    }
    return &*index;
  };
  std::vector<influxql::StatementResult> results;
  for (const influxql::Statement& statement : *statements) {
    influxql::StatementResult r;
    if (const auto* create = std::get_if<influxql::CreateDatabase>(&statement)) {
      // Only names: a client creating database after database costs a bounded set.
      std::lock_guard<std::mutex> lock(mu_);
      if (databases_.size() < kMaxDatabaseNames) databases_.insert(create->name);
    } else if (const auto* show = std::get_if<influxql::ShowStatement>(&statement);
               show && show->kind == influxql::ShowStatement::Kind::kDatabases) {
      std::set<std::string> names = {hub_name_};
      {
        std::lock_guard<std::mutex> lock(mu_);
        names.insert(databases_.begin(), databases_.end());
      }
      influxql::ResultSeries s{"databases", {}, {"name"}, {}};
      for (const std::string& name : names)
        s.values.push_back({influxql::Cell(name)});
      r.series.push_back(std::move(s));
    } else if (Result<const influxql::SeriesIndex*> idx = index_of(); !idx.ok()) {
      r.error = idx.status().message();
    } else if (show) {
      r = influxql::RunShow(*show, **idx);
    } else {
      r = influxql::RunSelect(std::get<influxql::SelectStatement>(statement), **idx, hub.storage(),
                              now);
    }
    results.push_back(std::move(r));
  }
  ReplyJsonText(res, influxql::EncodeResults(results, epoch_unit));
}

}  // namespace fh::api
