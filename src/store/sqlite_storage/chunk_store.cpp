#include "store/sqlite_storage/chunk_store.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace fh::sqlite {

Result<int64_t> LastWriteSeq(Db& db) {
  FH_ASSIGN_OR_RETURN(Stmt * seq, db.Cached("SELECT value FROM ts_meta WHERE key = 'write_seq'"));
  FH_ASSIGN_OR_RETURN(bool row, seq->Step());
  if (!row) return Corruption("{}: ts_meta has no write_seq", db.path().string());
  const int64_t value = seq->Int(0);
  seq->Reset();
  return value;
}

void SortAndDeduplicate(SeriesColumns* s) {
  const size_t n = s->size();
  bool strictly_increasing = true;
  for (size_t i = 1; i < n && strictly_increasing; ++i) {
    strictly_increasing = s->ts[i - 1] < s->ts[i];
  }
  if (strictly_increasing) return;

  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Stable: equal timestamps stay in arrival order, so the last of each run is the winner.
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return s->ts[a] < s->ts[b]; });
  SeriesColumns out;
  out.ts.reserve(n);
  out.values.reserve(n);
  out.quality.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n && s->ts[order[i + 1]] == s->ts[order[i]]) continue;
    out.Append(s->ts[order[i]], s->values[order[i]], s->quality[order[i]]);
  }
  *s = std::move(out);
}

Result<bool> OverlapsStored(Db& db, int64_t tag_id, TimestampNs first, TimestampNs last,
                            bool check_buffer) {
  FH_ASSIGN_OR_RETURN(Stmt * chunk,
                      db.Cached("SELECT t_max FROM sample_chunk WHERE tag_id = ? AND t_min <= ? "
                                "ORDER BY t_min DESC LIMIT 1"));
  chunk->Bind(1, tag_id).Bind(2, last);
  FH_ASSIGN_OR_RETURN(bool row, chunk->Step());
  const bool overlaps = row && chunk->Int(0) >= first;
  chunk->Reset();
  if (overlaps || !check_buffer) return overlaps;
  FH_ASSIGN_OR_RETURN(Stmt * buffered,
                      db.Cached("SELECT 1 FROM sample_buffer WHERE tag_id = ? AND ts >= ? AND "
                                "ts <= ? LIMIT 1"));
  buffered->Bind(1, tag_id).Bind(2, first).Bind(3, last);
  FH_ASSIGN_OR_RETURN(row, buffered->Step());
  buffered->Reset();
  return row;
}

Status ChunkStore::InsertChunks(Db& db, int64_t tag_id, const SeriesColumns& s, size_t begin,
                                size_t end, int64_t seq) {
  FH_ASSIGN_OR_RETURN(
      Stmt * insert,
      db.Cached("INSERT INTO sample_chunk(tag_id, t_min, t_max, n, v_min, v_max, v_sum, seq, "
                "data) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (size_t lo = begin; lo < end;) {
    size_t hi = std::min(end, lo + static_cast<size_t>(chunk_points_));
    // Avoid a tiny last chunk: split the remainder evenly with this one.
    if (end - hi > 0 && end - hi < static_cast<size_t>(chunk_points_) / 4) hi = lo + (end - lo) / 2;
    size_t n = hi - lo;
    std::span<const double> values(s.values.data() + lo, n);
    double vmin = values[0], vmax = values[0], vsum = 0;
    bool has_nan = false;
    for (double v : values) {
      has_nan |= std::isnan(v);
      vmin = v < vmin ? v : vmin;
      vmax = v > vmax ? v : vmax;
      vsum += v;
    }
    codec::EncodeChunk(std::span(s.ts.data() + lo, n), values, std::span(s.quality.data() + lo, n),
                       options_, &blob_);
    insert->Bind(1, tag_id).Bind(2, s.ts[lo]).Bind(3, s.ts[hi - 1]).Bind(4, int64_t(n));
    if (has_nan) {
      insert->BindNull(5).BindNull(6).BindNull(7);
    } else {
      insert->Bind(5, vmin).Bind(6, vmax).Bind(7, vsum);
    }
    insert->Bind(8, seq).BindBlob(9, blob_);
    FH_RETURN_IF_ERROR(insert->Run());
    lo = hi;
  }
  return Status();
}

Status ChunkStore::InsertBuffered(Db& db, int64_t tag_id, const SeriesColumns& s, int64_t seq) {
  FH_ASSIGN_OR_RETURN(
      Stmt * upsert,
      db.Cached(
          "INSERT INTO sample_buffer(tag_id, ts, value_bits, quality, seq) "
          "VALUES(?, ?, ?, ?, ?) ON CONFLICT(tag_id, ts) DO UPDATE SET "
          "value_bits = excluded.value_bits, quality = excluded.quality, seq = excluded.seq"));
  for (size_t i = 0; i < s.size(); ++i) {
    upsert->Bind(1, tag_id)
        .Bind(2, s.ts[i])
        .Bind(3, std::bit_cast<int64_t>(s.values[i]))
        .Bind(4, int64_t{s.quality[i]})
        .Bind(5, seq);
    FH_RETURN_IF_ERROR(upsert->Run());
  }
  return Status();
}

}  // namespace fh::sqlite
