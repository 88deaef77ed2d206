// Compaction: rewrites a tag's fresh rows and small or overlapping chunks into large
// sorted chunks, leaving well-formed chunks alone.
//
// A chunk is kept as is when it holds at least chunk_points/2 points and overlaps no other
// chunk and no buffered point. Everything between two kept chunks forms a run that is
// merged (last write wins) and re-chunked. A run is processed in pieces split at gaps
// between overlap clusters, so memory stays bounded; a piece's short tail carries over into
// the next piece so that runs of small chunks become full chunks.
#include <algorithm>

#include "store/sqlite_storage/chunk_store.h"
#include "store/sqlite_storage/layout.h"
#include "store/sqlite_storage/series_reader.h"
#include "store/sqlite_storage/sqlite_storage.h"
#include "store/sqlite_storage/tag_compaction.h"

namespace fh::sqlite {
namespace {

struct ChunkMeta {
  int64_t id;
  TimestampNs t_min, t_max;
  int64_t n;
};

// Points per compaction piece before it is written out (≈ 20 bytes a point).
constexpr int64_t kPiecePoints = 1 << 20;

Result<std::vector<ChunkMeta>> LoadChunkMetas(Db& db, int64_t tag_id) {
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT id, t_min, t_max, n FROM sample_chunk "
                                            "WHERE tag_id = ? ORDER BY t_min, seq"));
  sel->Bind(1, tag_id);
  std::vector<ChunkMeta> metas;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) break;
    metas.push_back({sel->Int(0), sel->Int(1), sel->Int(2), sel->Int(3)});
  }
  sel->Reset();
  return metas;
}

Result<std::vector<TimestampNs>> LoadBufferTimes(Db& db, int64_t tag_id) {
  FH_ASSIGN_OR_RETURN(Stmt * sel,
                      db.Cached("SELECT ts FROM sample_buffer WHERE tag_id = ? ORDER BY ts"));
  sel->Bind(1, tag_id);
  std::vector<TimestampNs> ts;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) break;
    ts.push_back(sel->Int(0));
  }
  sel->Reset();
  return ts;
}

// An interval of the tag's time line to rewrite: the chunks wholly inside it and the number
// of buffered points in it.
struct Piece {
  TimestampNs from = 0, to = 0;  // [from, to)
  std::vector<int64_t> chunk_ids;
  int64_t chunk_points = 0;
  int64_t buffered_points = 0;
  int64_t points() const { return chunk_points + buffered_points; }
};

class TagCompactor {
 public:
  TagCompactor(Db& db, int64_t tag_id, int chunk_points, int64_t seq)
      : db_(db), tag_id_(tag_id), store_(chunk_points), seq_(seq) {}

  Status Run(const std::vector<ChunkMeta>& metas, const std::vector<TimestampNs>& buffer) {
    const int64_t keep_min = store_.chunk_points() / 2;
    std::vector<bool> keep(metas.size());                         // chunk i stays as it is
    TimestampNs reach = std::numeric_limits<TimestampNs>::min();  // max t_max before i
    for (size_t i = 0; i < metas.size(); ++i) {
      const ChunkMeta& c = metas[i];
      bool overlaps_prev = i > 0 && c.t_min <= reach;
      bool overlaps_next = i + 1 < metas.size() && metas[i + 1].t_min <= c.t_max;
      auto b = std::lower_bound(buffer.begin(), buffer.end(), c.t_min);
      bool has_buffered = b != buffer.end() && *b <= c.t_max;
      keep[i] = c.n >= keep_min && !overlaps_prev && !overlaps_next && !has_buffered;
      reach = i == 0 ? c.t_max : std::max(reach, c.t_max);
    }
    // Walk the time line; pieces close at kept chunks, and at gaps between overlap
    // clusters once they are large enough.
    size_t b = 0;  // next buffered point
    TimestampNs piece_reach = 0;
    auto open_piece = [&](TimestampNs from, TimestampNs reach_to) {
      if (!piece_) {
        piece_ = Piece{.from = from};
        piece_reach = reach_to;
      }
      piece_reach = std::max(piece_reach, reach_to);
    };
    auto add_buffer_until = [&](TimestampNs limit) {  // buffered points with ts < limit
      for (; b < buffer.size() && buffer[b] < limit; ++b) {
        open_piece(buffer[b], buffer[b]);
        ++piece_->buffered_points;
      }
    };
    for (size_t i = 0; i < metas.size(); ++i) {
      const ChunkMeta& c = metas[i];
      add_buffer_until(c.t_min);
      if (keep[i]) {
        FH_RETURN_IF_ERROR(ClosePiece(c.t_min, /*run_ends=*/true));
        continue;
      }
      if (piece_ && c.t_min > piece_reach && piece_->points() >= kPiecePoints) {
        FH_RETURN_IF_ERROR(ClosePiece(c.t_min, /*run_ends=*/false));
      }
      open_piece(c.t_min, c.t_max);
      piece_->chunk_ids.push_back(c.id);
      piece_->chunk_points += c.n;
    }
    add_buffer_until(std::numeric_limits<TimestampNs>::max());
    return ClosePiece(std::numeric_limits<TimestampNs>::max(), /*run_ends=*/true);
  }

 private:
  Status ClosePiece(TimestampNs to, bool run_ends) {
    if (!piece_) return Status();
    Piece piece = std::move(*piece_);
    piece_.reset();
    piece.to = to;
    // A lone chunk with nothing to merge would be rewritten unchanged.
    if (piece.chunk_ids.size() == 1 && piece.buffered_points == 0 && carry_.size() == 0) {
      return Status();
    }
    SeriesColumns merged = std::move(carry_);
    carry_.clear();
    CollectVisitor collect(&merged);
    FH_RETURN_IF_ERROR(ReadSeries(db_, tag_id_, {piece.from, piece.to}, collect));
    FH_ASSIGN_OR_RETURN(Stmt * del_chunk, db_.Cached("DELETE FROM sample_chunk WHERE id = ?"));
    for (int64_t id : piece.chunk_ids)
      FH_RETURN_IF_ERROR(del_chunk->Bind(1, id).Run());
    FH_ASSIGN_OR_RETURN(Stmt * del_buf, db_.Cached("DELETE FROM sample_buffer WHERE tag_id = ? "
                                                   "AND ts >= ? AND ts < ?"));
    FH_RETURN_IF_ERROR(del_buf->Bind(1, tag_id_).Bind(2, piece.from).Bind(3, piece.to).Run());
    size_t full = merged.size();
    if (!run_ends) {
      // Carry a short tail into the next piece rather than leave a small chunk behind.
      full -= merged.size() % static_cast<size_t>(store_.chunk_points());
      for (size_t i = full; i < merged.size(); ++i) {
        carry_.Append(merged.ts[i], merged.values[i], merged.quality[i]);
      }
    }
    return store_.InsertChunks(db_, tag_id_, merged, 0, full, seq_);
  }

  Db& db_;
  int64_t tag_id_;
  ChunkStore store_;
  int64_t seq_;
  std::optional<Piece> piece_;
  SeriesColumns carry_;  // points read and deleted, not yet written (earlier than piece_)
};

}  // namespace

Status TagCompaction::CompactTag(Db& db, int64_t tag_id, bool only_if_buffer_full, int64_t seq) {
  if (only_if_buffer_full) {
    FH_ASSIGN_OR_RETURN(int64_t n, BufferedPoints(db, tag_id));
    if (n < config_.buffer_points) return Status();
  }
  FH_ASSIGN_OR_RETURN(std::vector<ChunkMeta> metas, LoadChunkMetas(db, tag_id));
  FH_ASSIGN_OR_RETURN(std::vector<TimestampNs> buffer, LoadBufferTimes(db, tag_id));
  TagCompactor compactor(db, tag_id, config_.chunk_points, seq);
  FH_RETURN_IF_ERROR(compactor.Run(metas, buffer));
  buffered_[tag_id] = 0;
  return Status();
}

Result<int64_t> TagCompaction::BufferedPoints(Db& db, int64_t tag_id) {
  auto it = buffered_.find(tag_id);
  if (it != buffered_.end()) return it->second;
  FH_ASSIGN_OR_RETURN(Stmt * count,
                      db.Cached("SELECT COUNT(*) FROM sample_buffer WHERE tag_id = ?"));
  count->Bind(1, tag_id);
  FH_ASSIGN_OR_RETURN(bool row, count->Step());
  const int64_t n = row ? count->Int(0) : 0;
  count->Reset();
  buffered_[tag_id] = n;
  return n;
}

void TagCompaction::AddBuffered(int64_t tag_id, int64_t points) {
  // Unknown tags are counted on first need, which sees these rows too.
  auto it = buffered_.find(tag_id);
  if (it != buffered_.end()) it->second += points;
}

Status SqliteStorage::Compact() {
  if (!writer_) return ReadOnlyError();
  std::lock_guard lock(write_mu_);
  Db& db = *writer_;
  // First what frees space without needing any: on a nearly full disk the WAL (folded into
  // the database) and the free pages at the database's end are all the room there is.
  // If that fails (the database could not grow to take the WAL in), the compaction may
  // still find room, and its error then says what happened to both.
  const Status first = ReclaimSpace();
  Status s = CompactLocked();
  if (s.ok()) return ReclaimSpace();
  if (s.message().find("disk is full") == std::string::npos) return s;
  // Rolled back: give back what its attempt took, and say what would help.
  const Status after = ReclaimSpace();
  return IOError(
      "{}: the disk is too full to compact ({}); free some space and run compact again: {}",
      db.path().string(),
      first.ok() && after.ok()
          ? "the WAL was folded into the database and free pages returned to the file system"
          : "not even the WAL could be folded into the database: " +
                (first.ok() ? after : first).message(),
      s.message());
}

Status SqliteStorage::ReclaimSpace() {
  Db& db = *writer_;
  // A checkpoint copies the WAL into the database, which may have to grow first: if the
  // disk cannot give that, nothing here can help.
  FH_ASSIGN_OR_RETURN(bool emptied, db.CheckpointWal(/*passive=*/false, config_.busy_timeout_ms));
  // Moves pages from the end of the file into free ones and truncates it. It writes to the
  // WAL (a few pages per page moved): folded in again right after.
  FH_RETURN_IF_ERROR(db.Exec("PRAGMA incremental_vacuum"));
  // Not emptied: another process's reader held on past busy_timeout_ms. What could be
  // copied was; the WAL is truncated by a later write (KeepWalSmall).
  FH_ASSIGN_OR_RETURN(emptied, db.CheckpointWal(/*passive=*/false, config_.busy_timeout_ms));
  (void)emptied;
  return Status();
}

Status SqliteStorage::CompactLocked() {
  // Whatever happens, count the buffers again afterwards: a rolled-back compaction
  // would leave counts of 0 for buffers that are still full.
  RecountBuffers recount(compaction_);
  FH_RETURN_IF_ERROR(FlushLogLocked());
  Db& db = *writer_;
  FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(const int64_t seq, LastWriteSeq(db));
  std::vector<int64_t> tag_ids;
  FH_ASSIGN_OR_RETURN(Stmt * tags, db.Cached("SELECT id FROM tag ORDER BY id"));
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, tags->Step());
    if (!more) break;
    tag_ids.push_back(tags->Int(0));
  }
  tags->Reset();
  for (int64_t id : tag_ids)
    FH_RETURN_IF_ERROR(compaction_.CompactTag(db, id, false, seq));
  // A hub whose layout could not be repaired at open (layout.h) has it now.
  FH_RETURN_IF_ERROR(MarkLayoutKept(db));
  FH_RETURN_IF_ERROR(txn.Commit());
  layout_kept_ = true;
  return Status();
}

}  // namespace fh::sqlite
