// Storage: the one interface every time-series back end implements.
//
// The embedded SQLite back end is the default; a ClickHouse back end comes later and must
// pass the same conformance suite (tests/store/storage_conformance_test.cpp) unchanged.
//
// Semantics every back end guarantees:
// - Tags are created on first write. Names are case-sensitive, 1..255 bytes.
// - A point is (tag, ts, value, quality). For equal (tag, ts) the last write wins, and
//   within one batch the later point wins. Values round-trip bit-exactly, NaN payloads,
//   infinities, -0.0 and denormals included.
// - Write() and SampleWriter::Commit() are atomic and durable: when they return OK the
//   points survive a crash or kill -9; when they fail nothing of the batch is stored.
// - Reads see committed data only, in timestamp order, one point per timestamp.
// - Thread safety: all methods may be called concurrently from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh {

struct TagInfo {
  int64_t id = 0;
  std::string name;
  int64_t samples = 0;  // distinct points: a point overwritten at the same time counts once
  TimestampNs first_ts = 0;
  TimestampNs last_ts = 0;
};

// Aggregate functions over a bucket. A bit set so one pass computes several.
enum Agg : uint32_t {
  kAggCount = 1u << 0,
  kAggMean = 1u << 1,
  kAggMin = 1u << 2,
  kAggMax = 1u << 3,
  kAggSum = 1u << 4,
  kAggFirst = 1u << 5,
  kAggLast = 1u << 6,
  kAggStddev = 1u << 7,  // sample standard deviation (n - 1); NaN when count < 2
};

struct AggregateQuery {
  std::vector<std::string> tags;
  TimeRange range;
  // Bucket width in ns. Buckets are [k*every, (k+1)*every) aligned to the Unix epoch;
  // buckets without points are omitted. 0 means one bucket for the whole range.
  int64_t every = 0;
  uint32_t aggs = kAggCount | kAggMean | kAggMin | kAggMax;
  // Per tag: a back end may stop reading once more than this many buckets are complete
  // (0: all). The first max_buckets buckets are then exact, and those after them are to be
  // dropped by the caller; it bounds what a narrow `every` over a wide range costs.
  size_t max_buckets = 0;
};

// One bucket of one tag. Fields not requested in AggregateQuery::aggs are unspecified.
// NaN values take part in the aggregate as IEEE arithmetic says (a NaN makes sum NaN).
struct Bucket {
  TimestampNs start = 0;
  int64_t count = 0;
  double sum = 0, min = 0, max = 0, mean = 0, stddev = 0;
  double first = 0, last = 0;
};

struct TagBuckets {
  std::string tag;
  std::vector<Bucket> buckets;
};

// Called with consecutive runs of points of one tag in timestamp order. The spans are
// valid only during the call. Return false to stop the scan early.
using ScanFn = std::function<bool(std::span<const TimestampNs> ts, std::span<const double> value,
                                  std::span<const uint32_t> quality)>;

struct StorageStats {
  int64_t tags = 0;
  int64_t samples = 0;  // distinct points (an overwritten point counts once)
  int64_t chunks = 0;
  int64_t buffered = 0;       // points in the row buffer, not yet compacted
  int64_t bytes_on_disk = 0;  // all files of the store
};

// A streaming write: Append() many batches, then Commit() once. Nothing is visible or
// durable before Commit(); destroying an uncommitted writer discards everything appended.
// Memory stays bounded whatever the total size (back ends flush as they go).
class SampleWriter {
 public:
  virtual ~SampleWriter() = default;
  virtual Status Append(const SampleBatch& batch) = 0;
  virtual Status Commit() = 0;
  virtual int64_t appended() const = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Atomically and durably stores one batch.
  virtual Status Write(const SampleBatch& batch) = 0;
  virtual Result<std::unique_ptr<SampleWriter>> NewWriter() = 0;

  virtual Result<std::vector<TagInfo>> ListTags() = 0;
  // Raw points of one tag in range; NotFound if the tag does not exist.
  virtual Status Scan(const std::string& tag, TimeRange range, const ScanFn& fn) = 0;
  virtual Result<std::optional<Sample>> Latest(const std::string& tag) = 0;
  // One TagBuckets per requested tag, in the order asked; NotFound for an unknown tag.
  virtual Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& query) = 0;

  // Merges fresh rows and small or overlapping chunks into large sorted chunks, and returns
  // free space to the file system. Reads give the same answers before and after.
  virtual Status Compact() = 0;
  virtual Result<StorageStats> Stats() = 0;

  // Deletes every point of `tags` older than `before` (ts < before), atomically and durably;
  // unknown tags are skipped. What retention policies call (analytics/retention). A back end
  // that cannot delete says so (Unimplemented, naming itself).
  virtual Status DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) = 0;
};

}  // namespace fh
