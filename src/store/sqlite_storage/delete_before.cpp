// SqliteStorage::DeleteBefore: whole chunks and buffered rows before the cut are deleted; the
// one chunk of a tag that straddles it (chunks do not overlap, layout.h) is decoded and its
// points from the cut on are written again as chunks, so the layout holds afterwards.
#include "store/sqlite_storage/chunk_store.h"
#include "store/sqlite_storage/series_reader.h"
#include "store/sqlite_storage/sqlite_storage.h"

namespace fh::sqlite {

namespace delete_detail {

Status DeleteTagBefore(Db& db, ChunkStore& store, int64_t tag_id, TimestampNs before, int64_t seq) {
  FH_ASSIGN_OR_RETURN(Stmt * straddling,
                      db.Cached("SELECT id, t_max FROM sample_chunk WHERE tag_id = ? AND t_min < ? "
                                "AND t_max >= ?"));
  straddling->Bind(1, tag_id).Bind(2, before).Bind(3, before);
  std::vector<std::pair<int64_t, TimestampNs>> cut;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, straddling->Step());
    if (!row) break;
    cut.emplace_back(straddling->Int(0), straddling->Int(1));
  }
  straddling->Reset();
  for (const auto& [id, t_max] : cut) {
    SeriesColumns kept;
    CollectVisitor collect(&kept);
    const TimestampNs end = t_max == std::numeric_limits<TimestampNs>::max() ? t_max : t_max + 1;
    FH_RETURN_IF_ERROR(ReadSeries(db, tag_id, {before, end}, collect));
    FH_ASSIGN_OR_RETURN(Stmt * del, db.Cached("DELETE FROM sample_chunk WHERE id = ?"));
    FH_RETURN_IF_ERROR(del->Bind(1, id).Run());
    // ReadSeries read buffered points of the span too; none lie inside a chunk's span.
    SortAndDeduplicate(&kept);
    FH_RETURN_IF_ERROR(store.InsertChunks(db, tag_id, kept, 0, kept.size(), seq));
  }
  FH_ASSIGN_OR_RETURN(Stmt * chunks,
                      db.Cached("DELETE FROM sample_chunk WHERE tag_id = ? AND t_max < ?"));
  FH_RETURN_IF_ERROR(chunks->Bind(1, tag_id).Bind(2, before).Run());
  FH_ASSIGN_OR_RETURN(Stmt * rows,
                      db.Cached("DELETE FROM sample_buffer WHERE tag_id = ? AND ts < ?"));
  return rows->Bind(1, tag_id).Bind(2, before).Run();
}

}  // namespace delete_detail

Status SqliteStorage::DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) {
  if (!writer_) return ReadOnlyError();
  std::lock_guard lock(write_mu_);
  // The buffers' counts are read again afterwards: rows went.
  RecountBuffers recount(compaction_);
  // The write log's points move into the row buffer and chunks first, where they are deleted.
  FH_RETURN_IF_ERROR(FlushLogLocked());
  Db& db = *writer_;
  FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(const int64_t seq, LastWriteSeq(db));
  ChunkStore store(config_.chunk_points);
  for (const std::string& tag : tags) {
    Result<int64_t> id = tags_.Find(db, tag);
    if (!id.ok()) {
      if (id.status().code() == StatusCode::kNotFound) continue;
      return id.status();
    }
    FH_RETURN_IF_ERROR(delete_detail::DeleteTagBefore(db, store, *id, before, seq));
  }
  return txn.Commit();
}

}  // namespace fh::sqlite
