// TagCompaction: a tag's fresh rows (the row buffer) and their compaction, rewriting a
// tag's buffered rows and small or overlapping chunks into full sorted chunks
// (compaction.cpp). It counts each tag's buffered rows once and keeps the counts up to date
// as writers add rows, so that a small write of many tags does not count them again.
// Used under the store's write lock, on its write connection.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "common/status.h"
#include "store/hub.h"  // StorageConfig
#include "store/sqlite/db.h"

namespace fh::sqlite {

class TagCompaction {
 public:
  explicit TagCompaction(const StorageConfig& config) : config_(config) {}

  // Compacts one tag in `writer`'s transaction; new chunks get write sequence `seq`. With
  // only_if_buffer_full, does nothing unless the tag's buffer holds buffer_points.
  Status CompactTag(Db& writer, int64_t tag_id, bool only_if_buffer_full, int64_t seq);
  // A writer added `points` rows to a tag's buffer. An upper bound: a row that replaced
  // another is counted twice, which only makes compaction come a little early.
  void AddBuffered(int64_t tag_id, int64_t points);
  // After a rolled-back transaction the counts may be wrong: count again when needed.
  void ForgetCounts() { buffered_.clear(); }

 private:
  Result<int64_t> BufferedPoints(Db& writer, int64_t tag_id);

  const StorageConfig& config_;
  std::unordered_map<int64_t, int64_t> buffered_;  // points in a tag's buffer, at most
};

// Forgets the buffers' counts when it goes out of scope, whatever happened: after rows moved
// or went, or a transaction that moved them rolled back (counts of 0 would then be wrong).
class RecountBuffers {
 public:
  explicit RecountBuffers(TagCompaction& compaction) : compaction_(compaction) {}
  ~RecountBuffers() { compaction_.ForgetCounts(); }
  RecountBuffers(const RecountBuffers&) = delete;
  RecountBuffers& operator=(const RecountBuffers&) = delete;

 private:
  TagCompaction& compaction_;
};

}  // namespace fh::sqlite
