// The write log: how small writes of many tags become durable without touching every
// tag's pages. A stream's request of 5,000 points of 1,000 tags would dirty a page of each
// tag's row buffer (16 MB of WAL for 100 KB of points); instead it is appended as one
// compressed row of `sample_log` (a few pages), kept in memory as a LogSegment for reads,
// and moved into the row buffer and chunks in bulk once enough have gathered (a "flush":
// one transaction for a million points, each tag's pages written once).
//
// Reads merge the segments not yet flushed in their snapshot: ts_meta's log_flushed_seq,
// read in the same snapshot, says which (FreshPoints::View). Segments are immutable and
// shared, so a view stays valid while a flush removes them. Another process writing to
// the same hub logs segments this one has not seen: a read loads them from its snapshot's
// log, and a flush skips what another process flushed already.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::sqlite {

// One logged write: its points grouped by tag id, each tag's sorted by time with one
// point per timestamp (the batch's later point wins).
struct LogSegment {
  struct TagRange {
    int64_t tag_id;
    uint32_t begin, end;  // into the columns
  };
  int64_t seq = 0;             // the write sequence number
  std::vector<TagRange> tags;  // by tag id
  std::vector<TimestampNs> ts;
  std::vector<double> values;
  std::vector<uint32_t> quality;

  size_t size() const { return ts.size(); }
  // The tag's points, or an empty range.
  const TagRange* Find(int64_t tag_id) const;
};

// Groups `batch` by tag (ids[i] is the id of the batch's tag i) into a segment.
LogSegment MakeSegment(const SampleBatch& batch, std::span<const int64_t> ids, int64_t seq);

// The segment as a sample_log row (zstd-compressed columns), and back.
std::string EncodeSegment(const LogSegment& segment);
Result<LogSegment> DecodeSegment(std::string_view bytes, int64_t seq);

// A point of a segment with its write sequence, for merging with the stored ones.
struct SeqSample {
  TimestampNs ts;
  double value;
  uint32_t quality;
  int64_t seq;
};

// The segments written and not yet flushed. Thread-safe.
class FreshPoints {
 public:
  using View = std::vector<std::shared_ptr<const LogSegment>>;

  // Keeps the segments in seq order; a segment already known is ignored.
  void Add(LogSegment segment);
  void Add(std::shared_ptr<const LogSegment> segment);
  // Whether a segment is known. Call with the lock of mutex() held.
  bool Has(int64_t seq) const;
  // The segments with seq > flushed_seq (those a snapshot that has flushed up to
  // flushed_seq lacks). Call with the lock of lock() held shared, while starting the
  // snapshot, so that no flush removes them in between.
  View Unflushed(int64_t flushed_seq) const;
  // Every segment, for a flush (the caller holds the storage's write lock).
  View All() const;
  // After a flush committed: forgets the segments up to `seq`. Takes the lock exclusive.
  void RemoveUpTo(int64_t seq);
  size_t points() const;    // in all segments
  size_t segments() const;  // writes logged and not flushed
  std::shared_mutex& mutex() const { return mu_; }

  // A memo for counting distinct points (fresh_counts.h): how many of segment `seq`'s
  // points of a tag no stored point and no earlier segment has. It holds while the
  // segment is unflushed, as nothing else changes the stored points meanwhile (a direct
  // write or compaction flushes the log first). Forgotten with the segment.
  std::optional<int64_t> NewPoints(int64_t seq, int64_t tag_id) const;
  void SetNewPoints(int64_t seq, int64_t tag_id, int64_t points);

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::shared_ptr<const LogSegment>> segments_;  // by seq
  size_t points_ = 0;
  mutable std::mutex new_points_mu_;
  std::map<int64_t, std::unordered_map<int64_t, int64_t>> new_points_;  // seq → tag → points
};

// How many of `segments` (by seq) a flush that keeps the newest `keep_newest` in the log
// should move into chunks: the cut at most segments.size() - keep_newest, as late as a
// cut goes where every tag's flushed points are all older than its points left in the log
// (its new chunks then end before anything logged after them, and a flush does not make
// the next one compact them), looking back up to keep_newest more; if there is no such
// cut, segments.size() - keep_newest. 0 when there are no more than keep_newest.
size_t FlushCut(const FreshPoints::View& segments, size_t keep_newest);

// The points of `tag_id` in `range` from a view, appended to `out` in segment order.
void CollectFresh(const FreshPoints::View& view, int64_t tag_id, TimeRange range,
                  std::vector<SeqSample>* out);

}  // namespace fh::sqlite
