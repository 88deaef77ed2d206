// WriteService: the HTTP write endpoints, InfluxDB's line protocol on `POST /write` (v1)
// and `POST /api/v2/write` (v2), so that agents which speak it write to factoryhub
// unchanged (docs/api.md).
//
// A 204 means the points are durable (Storage::Write returned). Lines that cannot be
// stored are quarantined (StreamIngest) and answered with 400 and InfluxDB's error body,
// naming each line and what is wrong; the request's good lines are stored. At most
// `max_writes` requests write at once. The next ones wait up to `write_wait` for a slot
// (node-influx and other v1 clients do not retry a 429, so a store that is merely busy
// holds a request rather than refuse it); up to 2 x max_writes wait, and past that or past
// the wait the answer is 429 with Retry-After, so a store that falls behind slows its
// clients down instead of queueing without bound. A writer limited to a part of the plant
// writes its tags only (scoped_writes.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "api/http_message.h"
#include "api/scoped_writes.h"

#include "model/connector_status.h"
#include "pipeline/stream_ingest.h"
#include "store/hub.h"

namespace fh::api {

struct HttpCounters;

struct WriteServiceOptions {
  int max_writes = 4;                                              // requests writing at once
  std::chrono::milliseconds write_wait = std::chrono::seconds(5);  // for a slot, then 429
  std::chrono::milliseconds lineage_every = std::chrono::seconds(5);
  std::shared_ptr<govern::StreamGovernor> stream_mapping;  // null: none
  pipeline::StoredPointsHook on_stored;                    // null: none
  const HttpCounters* http = nullptr;  // the server's connection counters, for /metrics
};

class WriteService {
 public:
  WriteService(Hub& hub, WriteServiceOptions options);

  // POST /write?db=&precision=n|u|ms|s (v1) and POST /api/v2/write?bucket=&precision=ns|
  // us|ms|s (v2); the bodies are line protocol, gzip if Content-Encoding says so.
  void HandleV1(const HttpRequest& req, HttpResponse& res);
  void HandleV2(const HttpRequest& req, HttpResponse& res);
  // POST /api/v1/samples: {"samples": [{"tag", "ts", "value", "quality"}]} or the bare
  // array; ts is RFC 3339 or epoch nanoseconds (default: now). 200 {"written": N} once
  // durable; bad samples are quarantined and answered 400 with each one's index and why.
  void HandleSamples(const HttpRequest& req, HttpResponse& res);
  // GET /api/v1/connectors: the connectors (MQTT, ...) with their state, and every source
  // that wrote, with its counters and ingest batch.
  void HandleConnectors(const HttpRequest& req, HttpResponse& res);
  // GET /metrics: the same counters and the store's size, in Prometheus' text format.
  void HandleMetrics(const HttpRequest& req, HttpResponse& res);

  pipeline::StreamIngest& ingest() { return ingest_; }
  // Where /api/v1/connectors and /metrics learn the connectors' states (MQTT, ...).
  using ConnectorStatuses = std::function<std::vector<ConnectorStatus>()>;
  void SetConnectorStatuses(ConnectorStatuses fn);
  int64_t rejected_busy() const { return busy_.load(); }

 private:
  enum class Dialect { kV1, kV2 };
  void Handle(Dialect dialect, const HttpRequest& req, HttpResponse& res);

  // What the connectors and live scorers report now (none when no one set the function).
  std::vector<ConnectorStatus> ConnectorStatusesNow();
  // A write slot (waiting for one up to write_wait), or false after answering 429. The
  // slot is given back by ReleaseSlot().
  bool Admit(bool v2, HttpResponse& res);
  void ReleaseSlot();
  class Slot;

  // OK, or the answer has been made: 403 for a tag outside the writer's scope.
  enum class Reply { kInfluxV1, kInfluxV2, kJson };
  bool AllowedForScope(const HttpRequest& req, const SampleBatch& batch,
                       const std::vector<TextSample>& texts, Reply reply, HttpResponse& res);

  Hub& hub_;
  WriteServiceOptions options_;
  pipeline::StreamIngest ingest_;
  ScopedWrites scoped_;
  std::mutex slots_mu_;
  std::condition_variable slot_freed_;
  int writing_ = 0;                         // guarded by slots_mu_: requests holding a slot
  int waiting_ = 0;                         // guarded by slots_mu_: requests waiting for one
  std::atomic<int64_t> busy_{0};            // requests answered 429
  std::atomic<int64_t> waited_{0};          // requests that waited for a slot
  std::atomic<int64_t> write_requests_{0};  // write requests admitted
  std::atomic<int64_t> partial_{0};         // write requests with rejected records
  std::mutex connectors_mu_;
  ConnectorStatuses connectors_;  // guarded by connectors_mu_
};

}  // namespace fh::api
