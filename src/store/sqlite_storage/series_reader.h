// SeriesReader: the points of one tag in a time range, merged from compressed chunks and
// the row buffer, in timestamp order with one point per timestamp (the highest write
// sequence wins).
//
// Chunks are visited in t_min order and grouped into clusters of overlapping time spans.
// A cluster of one chunk with no buffered point inside it (the common case once compacted)
// is decoded straight into the visitor, or not decoded at all when the visitor can use
// the chunk's stored statistics; only overlapping data pays for a sort-and-merge.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "store/codec/chunk_codec.h"
#include "store/sqlite/db.h"
#include "store/sqlite_storage/chunk_store.h"
#include "store/sqlite_storage/write_log.h"

namespace fh::sqlite {

// Summary of a chunk that lies wholly inside the range and overlaps nothing else.
struct ChunkSummary {
  TimestampNs t_min, t_max;
  int64_t count;
  double min, max, sum;  // only when the chunk holds no NaN
};

class SeriesVisitor {
 public:
  virtual ~SeriesVisitor() = default;
  // Whether Points() needs the quality column (decoding it costs a little).
  virtual bool wants_quality() const { return true; }
  // Offered for each chunk that could be summarised without decoding. Return true if
  // the summary was enough; false to have the chunk decoded and passed to Points().
  virtual bool TakeSummary(const ChunkSummary& /*summary*/) { return false; }
  // A run of points in increasing ts order; quality is empty unless wants_quality().
  // Return false to stop the scan.
  virtual bool Points(std::span<const TimestampNs> ts, std::span<const double> values,
                      std::span<const uint32_t> quality) = 0;
};

// Collects every point a read passes into columns (compaction, deletion).
class CollectVisitor final : public SeriesVisitor {
 public:
  explicit CollectVisitor(SeriesColumns* out) : out_(out) {}
  bool Points(std::span<const TimestampNs> ts, std::span<const double> values,
              std::span<const uint32_t> quality) override {
    out_->ts.insert(out_->ts.end(), ts.begin(), ts.end());
    out_->values.insert(out_->values.end(), values.begin(), values.end());
    out_->quality.insert(out_->quality.end(), quality.begin(), quality.end());
    return true;
  }

 private:
  SeriesColumns* out_;
};

// Reads one tag's points in `range` using `db` (any connection: read or write), merged
// with `fresh` (the tag's points of the write log that the snapshot lacks, in range). The
// caller holds a transaction around it (ReadTxn) so that the row buffer and the chunks are
// seen in one snapshot: a concurrent compaction then cannot make a point vanish or repeat.
Status ReadSeries(Db& db, int64_t tag_id, TimeRange range, SeriesVisitor& visitor,
                  std::span<const SeqSample> fresh = {});

// ReadSeries with decoding buffers kept from one read to the next: for scans of many tags.
// Not thread-safe; one per thread.
class SeriesReader {
 public:
  SeriesReader();
  ~SeriesReader();
  SeriesReader(const SeriesReader&) = delete;
  SeriesReader& operator=(const SeriesReader&) = delete;

  Status Read(Db& db, int64_t tag_id, TimeRange range, SeriesVisitor& visitor,
              std::span<const SeqSample> fresh = {});

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace fh::sqlite
