#include "store/sqlite_storage/series_reader.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace fh::sqlite {
namespace {

struct ChunkRow {
  TimestampNs t_min, t_max;
  int64_t n;
  std::optional<double> vmin, vmax, vsum;
  int64_t seq;
  std::string blob;
};

// A row buffer's point, or one of the write log's: same layout, same merge.
using BufferedPoint = SeqSample;

// A point tagged with the sequence of the write that made it, for merging.
struct SeqPoint {
  TimestampNs ts;
  int64_t seq;
  double value;
  uint32_t quality;
};

// Decoding and merging space, kept by a SeriesReader across reads so that scanning many
// tags does not allocate (and zero) fresh buffers for each.
struct MergeBuffers {
  codec::DecodedChunk decoded;
  std::vector<SeqPoint> merge;
  std::vector<TimestampNs> out_ts;
  std::vector<double> out_values;
  std::vector<uint32_t> out_quality;
};

class Merger {
 public:
  Merger(TimeRange range, SeriesVisitor& visitor, MergeBuffers& buffers)
      : range_(range),
        visitor_(visitor),
        decoded_(buffers.decoded),
        merge_(buffers.merge),
        out_ts_(buffers.out_ts),
        out_values_(buffers.out_values),
        out_quality_(buffers.out_quality) {}

  // Emits one chunk that overlaps nothing. Returns false if the visitor stopped.
  Result<bool> EmitChunk(const ChunkRow& c) {
    bool inside = c.t_min >= range_.from && c.t_max < range_.to;
    if (inside && c.vmin && c.vmax && c.vsum &&
        visitor_.TakeSummary({c.t_min, c.t_max, c.n, *c.vmin, *c.vmax, *c.vsum})) {
      return true;
    }
    FH_RETURN_IF_ERROR(Decode(c));
    auto [lo, hi] = Clip(decoded_.ts);
    if (lo == hi) return true;
    std::span<const uint32_t> q;
    if (visitor_.wants_quality()) q = std::span(decoded_.quality).subspan(lo, hi - lo);
    return visitor_.Points(std::span(decoded_.ts).subspan(lo, hi - lo),
                           std::span(decoded_.values).subspan(lo, hi - lo), q);
  }

  // Emits several overlapping chunks and buffered points merged: sort by (ts, seq) and
  // keep the last point of each timestamp.
  Result<bool> EmitMerged(std::span<const ChunkRow> chunks, std::span<const BufferedPoint> buf) {
    merge_.clear();
    for (const ChunkRow& c : chunks) {
      FH_RETURN_IF_ERROR(Decode(c));
      // Points() without quality skipped decoding it; the merge carries one anyway.
      if (!visitor_.wants_quality()) decoded_.quality.assign(decoded_.ts.size(), kQualityGood);
      for (size_t i = 0; i < decoded_.ts.size(); ++i) {
        if (!range_.Contains(decoded_.ts[i])) continue;
        merge_.push_back({decoded_.ts[i], c.seq, decoded_.values[i], decoded_.quality[i]});
      }
    }
    for (const BufferedPoint& p : buf)
      merge_.push_back({p.ts, p.seq, p.value, p.quality});
    std::sort(merge_.begin(), merge_.end(), [](const SeqPoint& a, const SeqPoint& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
    });
    out_ts_.clear();
    out_values_.clear();
    out_quality_.clear();
    for (size_t i = 0; i < merge_.size(); ++i) {
      if (i + 1 < merge_.size() && merge_[i + 1].ts == merge_[i].ts) continue;  // later wins
      out_ts_.push_back(merge_[i].ts);
      out_values_.push_back(merge_[i].value);
      out_quality_.push_back(merge_[i].quality);
    }
    if (out_ts_.empty()) return true;
    std::span<const uint32_t> q;
    if (visitor_.wants_quality()) q = out_quality_;
    return visitor_.Points(out_ts_, out_values_, q);
  }

 private:
  Status Decode(const ChunkRow& c) {
    Status s = visitor_.wants_quality()
                   ? codec::DecodeChunk(c.blob, &decoded_)
                   : codec::DecodeTimestampsAndValues(c.blob, &decoded_.ts, &decoded_.values);
    if (!s.ok()) return s.WithContext(fmt::format("chunk [{}, {}]", c.t_min, c.t_max));
    return s;
  }

  std::pair<size_t, size_t> Clip(std::span<const TimestampNs> ts) const {
    size_t lo = std::lower_bound(ts.begin(), ts.end(), range_.from) - ts.begin();
    size_t hi = std::lower_bound(ts.begin() + lo, ts.end(), range_.to) - ts.begin();
    return {lo, hi};
  }

  TimeRange range_;
  SeriesVisitor& visitor_;
  codec::DecodedChunk& decoded_;
  std::vector<SeqPoint>& merge_;
  std::vector<TimestampNs>& out_ts_;
  std::vector<double>& out_values_;
  std::vector<uint32_t>& out_quality_;
};

Status LoadBuffer(Db& db, int64_t tag_id, TimeRange range, std::vector<BufferedPoint>* points) {
  FH_ASSIGN_OR_RETURN(Stmt * stmt,
                      db.Cached("SELECT ts, value_bits, quality, seq FROM sample_buffer "
                                "WHERE tag_id = ? AND ts >= ? AND ts < ? ORDER BY ts"));
  stmt->Bind(1, tag_id).Bind(2, range.from).Bind(3, range.to);
  points->clear();
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    points->push_back({stmt->Int(0), std::bit_cast<double>(stmt->Int(1)),
                       static_cast<uint32_t>(stmt->Int(2)), stmt->Int(3)});
  }
  stmt->Reset();
  return Status();
}

}  // namespace

struct SeriesReader::Buffers {
  MergeBuffers merge;
  std::vector<BufferedPoint> buffer;
  std::vector<ChunkRow> cluster;
  std::vector<std::string> spare_blobs;  // capacity of the cluster's blobs, reused
};

SeriesReader::SeriesReader() : buffers_(std::make_unique<Buffers>()) {}
SeriesReader::~SeriesReader() = default;

Status ReadSeries(Db& db, int64_t tag_id, TimeRange range, SeriesVisitor& visitor,
                  std::span<const SeqSample> fresh) {
  SeriesReader reader;
  return reader.Read(db, tag_id, range, visitor, fresh);
}

Status SeriesReader::Read(Db& db, int64_t tag_id, TimeRange range, SeriesVisitor& visitor,
                          std::span<const SeqSample> fresh) {
  if (range.from >= range.to) return Status();
  std::vector<BufferedPoint>& buffer = buffers_->buffer;
  FH_RETURN_IF_ERROR(LoadBuffer(db, tag_id, range, &buffer));
  if (!fresh.empty()) {
    // The log's points join the row buffer's; equal times are settled by seq in the merge.
    buffer.insert(buffer.end(), fresh.begin(), fresh.end());
    std::sort(buffer.begin(), buffer.end(), [](const BufferedPoint& a, const BufferedPoint& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
    });
  }
  FH_ASSIGN_OR_RETURN(Stmt * stmt,
                      db.Cached("SELECT t_min, t_max, n, v_min, v_max, v_sum, seq, data "
                                "FROM sample_chunk WHERE tag_id = ? AND t_min < ? AND "
                                "t_max >= ? ORDER BY t_min, seq"));
  stmt->Bind(1, tag_id).Bind(2, range.to).Bind(3, range.from);

  Merger merger(range, visitor, buffers_->merge);
  std::vector<ChunkRow>& cluster = buffers_->cluster;
  std::vector<std::string>& spare_blobs = buffers_->spare_blobs;
  auto clear_cluster = [&] {
    for (ChunkRow& c : cluster)
      spare_blobs.push_back(std::move(c.blob));
    cluster.clear();
  };
  clear_cluster();
  TimestampNs cluster_end = 0;
  size_t next_buf = 0;  // buffered points before this one have been emitted

  // Emits buffered points with ts < limit that belong to no chunk cluster.
  auto emit_buffer_before = [&](TimestampNs limit, bool inclusive) -> Result<bool> {
    size_t end = next_buf;
    while (end < buffer.size() &&
           (buffer[end].ts < limit || (inclusive && buffer[end].ts == limit)))
      ++end;
    if (end == next_buf) return true;
    auto run = std::span(buffer).subspan(next_buf, end - next_buf);
    next_buf = end;
    return merger.EmitMerged({}, run);
  };
  auto flush_cluster = [&]() -> Result<bool> {
    if (cluster.empty()) return true;
    size_t end = next_buf;
    while (end < buffer.size() && buffer[end].ts <= cluster_end)
      ++end;
    auto inside = std::span(buffer).subspan(next_buf, end - next_buf);
    next_buf = end;
    Result<bool> more = (cluster.size() == 1 && inside.empty())
                            ? merger.EmitChunk(cluster.front())
                            : merger.EmitMerged(cluster, inside);
    clear_cluster();
    return more;
  };

  Status status;
  bool more = true;
  while (more) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) {
      status = row.status();
      break;
    }
    if (!*row) break;
    std::string blob;
    if (!spare_blobs.empty()) {
      blob = std::move(spare_blobs.back());
      spare_blobs.pop_back();
    }
    blob.assign(stmt->Blob(7));
    ChunkRow c{stmt->Int(0),       stmt->Int(1),       stmt->Int(2), stmt->OptDouble(3),
               stmt->OptDouble(4), stmt->OptDouble(5), stmt->Int(6), std::move(blob)};
    if (!cluster.empty() && c.t_min > cluster_end) {
      Result<bool> r = flush_cluster();
      if (!r.ok()) return r.status();
      more = *r;
    }
    if (!more) break;
    if (cluster.empty()) {
      Result<bool> r = emit_buffer_before(c.t_min, false);
      if (!r.ok()) return r.status();
      if (!(more = *r)) break;
      cluster_end = c.t_max;
    }
    cluster_end = std::max(cluster_end, c.t_max);
    cluster.push_back(std::move(c));
  }
  stmt->Reset();
  FH_RETURN_IF_ERROR(status);
  if (more) {
    FH_ASSIGN_OR_RETURN(more, flush_cluster());
  }
  if (more) {
    FH_ASSIGN_OR_RETURN(more, emit_buffer_before(range.to, false));
  }
  return Status();
}

}  // namespace fh::sqlite
