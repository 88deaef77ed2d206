// StreamIngest: the one path live sources write through (HTTP writes now; MQTT and Modbus
// later). Points go to the store durably before the caller acknowledges them; records that
// cannot be stored (a malformed line, a string field) are quarantined with their raw text,
// never dropped; and both are traced to an ingest batch, one per source and server run
// ("http" "/write?db=plant"), as imports are.
//
// Lineage is kept in memory per tag (the span and count of points since the last flush)
// and written to the catalog every `flush_every` and when the ingest stops: a catalog
// transaction per request would cost more than the points. A crash loses at most that much
// lineage, never points. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::importer {

struct StreamSource {
  std::string system;  // "http", "mqtt", ...
  std::string object;  // the endpoint, topic or device
  auto operator<=>(const StreamSource&) const = default;
};

// A record that could not be stored, for the quarantine.
struct RejectedRecord {
  int64_t line = 0;     // in the request (0: unknown)
  std::string raw;      // as received
  std::string message;  // why
};

struct StreamCounters {
  int64_t accepted = 0;     // points stored
  int64_t quarantined = 0;  // records quarantined
};

class StreamIngest {
 public:
  // `hub` must outlive the ingest.
  explicit StreamIngest(Hub& hub, std::chrono::milliseconds flush_every = std::chrono::seconds(5));
  ~StreamIngest();  // Flush()es, marks every batch completed
  StreamIngest(const StreamIngest&) = delete;
  StreamIngest& operator=(const StreamIngest&) = delete;

  // Stores `points` atomically and durably, then quarantines `rejected` under the source's
  // batch; `format` names the quarantine's mapping ("line-protocol"). OK means both happened: the
  // caller may acknowledge. On a store error nothing of `points` is stored.
  Status Write(const StreamSource& source, std::string_view format, const SampleBatch& points,
               const std::vector<RejectedRecord>& rejected);

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
  // The source's ingest batch, once it has one.
  std::optional<int64_t> batch_id(const StreamSource& source) const;

 private:
  struct Span {
    TimestampNs first = 0, last = 0;
    int64_t samples = 0;
  };
  struct SourceState {
    std::optional<int64_t> batch_id;
    StreamCounters counters;
    TimestampNs last_write = 0;
    std::map<std::string, Span, std::less<>> pending;  // lineage not yet flushed, by tag
  };
  // The source's batch, begun on first need. Caller holds mu_ and the catalog mutex.
  Result<int64_t> EnsureBatch(const StreamSource& source, SourceState& state);
  Status FlushLocked();
  void FlushLoop();

  Hub& hub_;
  std::chrono::milliseconds flush_every_;
  mutable std::mutex mu_;
  std::map<StreamSource, SourceState> sources_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace fh::importer
