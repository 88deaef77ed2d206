// Writing one tag's points as chunks or buffered rows.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "store/codec/chunk_codec.h"
#include "store/sqlite/db.h"

namespace fh::sqlite {

// One tag's points in arrival order, as columns.
struct SeriesColumns {
  std::vector<TimestampNs> ts;
  std::vector<double> values;
  std::vector<uint32_t> quality;

  size_t size() const { return ts.size(); }
  void clear() {
    ts.clear();
    values.clear();
    quality.clear();
  }
  void Append(TimestampNs t, double v, uint32_t q) {
    ts.push_back(t);
    values.push_back(v);
    quality.push_back(q);
  }
  void AppendRun(std::span<const TimestampNs> t, std::span<const double> v,
                 std::span<const uint32_t> q) {
    ts.insert(ts.end(), t.begin(), t.end());
    values.insert(values.end(), v.begin(), v.end());
    quality.insert(quality.end(), q.begin(), q.end());
  }
};

// Sorts by timestamp, keeping for equal timestamps only the last point in arrival order
// (last write wins). Cheap when the points are already in order, as they usually are.
void SortAndDeduplicate(SeriesColumns* series);

// Whether points of `tag_id` in [first, last] may share a timestamp with a stored one: a
// chunk spans part of [first, last], or (with check_buffer) a buffered point lies in it.
// Relies on the layout every write keeps (store/sqlite_storage/layout.h): a tag's chunks do
// not overlap, so only the chunk starting last at or before `last` can reach `first`.
// Two index look-ups: cheap enough for every chunk written.
Result<bool> OverlapsStored(Db& db, int64_t tag_id, TimestampNs first, TimestampNs last,
                            bool check_buffer);

// The write sequence number of the newest write (ts_meta's write_seq), read in the caller's
// transaction; Corruption when the database has none.
Result<int64_t> LastWriteSeq(Db& db);

// Encodes sorted, de-duplicated points [begin, end) of `series` into chunks of at most
// `chunk_points` and inserts them with write sequence `seq`.
class ChunkStore {
 public:
  explicit ChunkStore(int chunk_points) : chunk_points_(chunk_points) {}

  Status InsertChunks(Db& db, int64_t tag_id, const SeriesColumns& series, size_t begin, size_t end,
                      int64_t seq);
  // Upserts points into the row buffer (for small writes).
  Status InsertBuffered(Db& db, int64_t tag_id, const SeriesColumns& series, int64_t seq);

  int chunk_points() const { return chunk_points_; }

 private:
  int chunk_points_;
  codec::EncodeOptions options_;
  std::string blob_;  // reused encode buffer
};

}  // namespace fh::sqlite
