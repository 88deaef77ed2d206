// StreamIngest: the one path live sources write through (HTTP writes, MQTT, Sparkplug,
// Modbus). Points go through the hub's stream mapping when it has one (unit conversions and
// rules, govern/stream_mapping.h), then to the store durably before the caller acknowledges
// them; records that cannot be stored (a malformed line, a string field, a point that fails
// a rule) are quarantined with their raw text, never dropped; and both are traced to an
// ingest batch, one per source and server run ("http" "/write?db=plant"), as imports are.
//
// Lineage is kept in memory per tag (the span and count of points since the last flush)
// and written to the catalog every `flush_every` and when the ingest stops: a catalog
// transaction per request would cost more than the points. A crash loses at most that much
// lineage, never points. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "govern/stream_mapping.h"
#include "model/lineage.h"
#include "model/sample.h"
#include "model/text_sample.h"
#include "pipeline/sample_bookkeeping.h"
#include "store/hub.h"

namespace fh::pipeline {

// The hub's stream mapping, `<hub>/streams.yaml`, compiled; null when the hub has none.
// Errors say file:line:column.
inline constexpr const char* kStreamMappingFile = "streams.yaml";
Result<std::shared_ptr<govern::StreamGovernor>> LoadHubStreamMapping(const std::string& hub_dir);

// Called with the points of each Write once they are stored (durable), before the caller
// acknowledges them, on the writer's thread: what live analytics (serve's SPC monitor)
// judge. It must be quick and must not write through this ingest.
using StoredPointsHook = std::function<void(const SampleBatch& stored)>;

class StreamIngest {
 public:
  // `hub` must outlive the ingest.
  // `governor`: the hub's stream mapping, compiled (null: points are stored as received).
  // `on_stored`: see StoredPointsHook (null: none).
  explicit StreamIngest(Hub& hub, std::chrono::milliseconds flush_every = std::chrono::seconds(5),
                        std::shared_ptr<govern::StreamGovernor> governor = nullptr,
                        StoredPointsHook on_stored = nullptr);
  ~StreamIngest();  // Flush()es, marks every batch completed
  StreamIngest(const StreamIngest&) = delete;
  StreamIngest& operator=(const StreamIngest&) = delete;

  // Governs `points`, stores those that pass atomically and durably, then quarantines
  // `rejected` (under `format`, "line-protocol") and the points that failed a rule (under the
  // stream mapping's name, as JSON samples) in the source's batch. OK means all of it
  // happened: the caller may acknowledge. On a store error nothing of `points` is stored.
  // Returns the points that failed a rule (quarantined, not stored), for the caller's answer.
  // `texts` (line protocol's string fields) are stored after the points, as they are (the
  // stream mapping converts numbers only), in the hub's TextSampleStore; if that fails the
  // points are stored already, and a retry writes the same again (last write wins).
  Result<std::vector<govern::RejectedPoint>> Write(const StreamSource& source,
                                                   std::string_view format,
                                                   const SampleBatch& points,
                                                   const std::vector<RejectedRecord>& rejected,
                                                   const std::vector<TextSample>& texts = {});

  // Writes the lineage gathered since the last flush and the batches' counters.
  Status Flush();

  StreamCounters counters(const StreamSource& source) const;
  struct SourceReport {
    StreamSource source;
    StreamCounters counters;
    std::optional<int64_t> batch_id;
    TimestampNs last_write = 0;  // when it last wrote (0: never)
  };
  // Every source that wrote since the ingest started, by system and object.
  std::vector<SourceReport> Sources() const;
  // The timed flushes that failed to write lineage (each is retried by the next one), and
  // the last one's error while the failure lasts (empty once a flush succeeds again).
  struct LineageHealth {
    int64_t failed_flushes = 0;
    std::string error;
  };
  LineageHealth lineage_health() const;
  // The source's ingest batch, once it has one.
  std::optional<int64_t> batch_id(const StreamSource& source) const;
  // The stream mapping in force (null: none).
  const govern::StreamGovernor* governor() const { return governor_.get(); }

 private:
  struct SourceState {
    std::optional<int64_t> batch_id;
    StreamCounters counters;
    TimestampNs last_write = 0;
    StringMap<SeriesSpan> pending;  // lineage not yet flushed, by tag
  };
  // The source's batch, begun on first need in a transaction of its own. Caller holds mu_
  // and a session, and has no unit of work open.
  Result<int64_t> EnsureBatch(CatalogSession& session, const StreamSource& source,
                              SourceState& state);
  Status FlushLocked(CatalogSession& session);
  // Quarantines under the source's batch. Caller holds mu_ and a session.
  Status QuarantineLocked(CatalogSession& session, const StreamSource& source, SourceState& state,
                          std::string_view format, const std::vector<RejectedRecord>& rejected,
                          const std::vector<govern::RejectedPoint>& failed);
  void FlushLoop();

  Hub& hub_;
  std::chrono::milliseconds flush_every_;
  std::shared_ptr<govern::StreamGovernor> governor_;
  StoredPointsHook on_stored_;
  mutable std::mutex mu_;
  std::map<StreamSource, SourceState> sources_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t lineage_failures_ = 0;  // timed flushes that failed
  std::string lineage_error_;     // the last one's, while failing
  std::thread flusher_;
};

}  // namespace fh::pipeline
