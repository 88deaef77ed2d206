#include "store/sqlite_storage/sqlite_writer.h"

namespace fh::sqlite {

Status UnstorableTimestamp(TimestampNs ts, std::string_view tag) {
  return InvalidArgument("timestamp {} of tag '{}' is out of range: the store keeps {}..{}", ts,
                         tag, kMinStorableTimestamp, kMaxStorableTimestamp);
}

Result<std::unique_ptr<SqliteSampleWriter>> SqliteSampleWriter::Begin(
    SqliteWriteContext context, std::unique_lock<std::mutex> lock) {
  Db& db = context.db;
  FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(const int64_t last_seq, LastWriteSeq(db));
  return std::unique_ptr<SqliteSampleWriter>(
      new SqliteSampleWriter(std::move(context), std::move(lock), std::move(txn), last_seq));
}

SqliteSampleWriter::SqliteSampleWriter(SqliteWriteContext context,
                                       std::unique_lock<std::mutex> lock, Transaction txn,
                                       int64_t seq)
    : context_(std::move(context)),
      lock_(std::move(lock)),
      txn_(std::move(txn)),
      seq_(seq),
      chunks_(context_.config.chunk_points) {}

Result<size_t> SqliteSampleWriter::SlotFor(const std::string& name) {
  auto it = slot_by_name_.find(name);
  if (it != slot_by_name_.end()) return it->second;
  bool created = false;
  FH_ASSIGN_OR_RETURN(const int64_t id, context_.tags.Ensure(context_.db, name, &created));
  if (created) created_tags_.emplace_back(name, id);
  const size_t slot = SlotForId(id);
  slot_by_name_.emplace(name, slot);
  return slot;
}

size_t SqliteSampleWriter::SlotForId(int64_t tag_id) {
  auto it = slot_by_id_.find(tag_id);
  if (it != slot_by_id_.end()) return it->second;
  slots_.push_back(TagSlot{tag_id, {}});
  slot_by_id_.emplace(tag_id, slots_.size() - 1);
  return slots_.size() - 1;
}

Status SqliteSampleWriter::AppendPoint(TagSlot& slot, TimestampNs ts, double value,
                                       uint32_t quality) {
  slot.pending.Append(ts, value, quality);
  if (slot.pending.size() >= static_cast<size_t>(chunks_.chunk_points())) {
    pending_ -= slot.pending.size() - 1;
    return FlushSlot(slot, false);
  }
  ++pending_;
  return Status();
}

Status SqliteSampleWriter::AppendTag(int64_t tag_id, std::span<const TimestampNs> ts,
                                     std::span<const double> values,
                                     std::span<const uint32_t> quality) {
  if (failed_) return FailedPrecondition("writer failed earlier; start a new one");
  if (!txn_) return FailedPrecondition("writer already committed");
  TagSlot& slot = slots_[SlotForId(tag_id)];
  // In runs up to the next chunk's end, copied whole: a flush of the log appends a
  // million points this way.
  const auto chunk_points = static_cast<size_t>(chunks_.chunk_points());
  for (size_t i = 0; i < ts.size();) {
    const size_t room = chunk_points > slot.pending.size() ? chunk_points - slot.pending.size() : 1;
    const size_t take = std::min(room, ts.size() - i);
    slot.pending.AppendRun(ts.subspan(i, take), values.subspan(i, take), quality.subspan(i, take));
    pending_ += take;
    i += take;
    if (slot.pending.size() >= chunk_points) {
      pending_ -= slot.pending.size();
      if (Status s = FlushSlot(slot, false); !s.ok()) {
        failed_ = true;
        return s;
      }
    }
  }
  appended_ += static_cast<int64_t>(ts.size());
  if (pending_ > kMaxPendingPoints) {
    Status s = FlushAll(false);
    if (!s.ok()) failed_ = true;
    return s;
  }
  return Status();
}

Status SqliteSampleWriter::Append(const SampleBatch& batch) {
  if (failed_) return FailedPrecondition("writer failed earlier; start a new one");
  if (!txn_) return FailedPrecondition("writer already committed");
  batch_slots_.resize(batch.tag_names().size());
  for (size_t i = 0; i < batch.tag_names().size(); ++i) {
    Result<size_t> slot = SlotFor(batch.tag_names()[i]);
    if (!slot.ok()) {
      failed_ = true;
      return slot.status();
    }
    batch_slots_[i] = *slot;
  }
  const auto& tag = batch.tag();
  const auto& ts = batch.ts();
  const auto& value = batch.value();
  const auto& quality = batch.quality();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!IsStorableTimestamp(ts[i])) [[unlikely]] {
      failed_ = true;
      return UnstorableTimestamp(ts[i], batch.tag_names()[tag[i]]);
    }
    if (Status s = AppendPoint(slots_[batch_slots_[tag[i]]], ts[i], value[i], quality[i]);
        !s.ok()) {
      failed_ = true;
      return s;
    }
  }
  appended_ += static_cast<int64_t>(batch.size());
  if (pending_ > kMaxPendingPoints) {
    Status s = FlushAll(false);
    if (!s.ok()) failed_ = true;
    return s;
  }
  return Status();
}

Status SqliteSampleWriter::FlushSlot(TagSlot& slot, bool final) {
  if (slot.pending.size() == 0) return Status();
  SortAndDeduplicate(&slot.pending);
  Db& db = context_.db;
  ++seq_;
  const bool to_buffer = final && !remainders_to_chunks_ &&
                         slot.pending.size() < static_cast<size_t>(context_.config.buffer_points);
  // Buffered rows replace buffered rows of the same time themselves (an upsert); chunks
  // and buffered points inside a chunk's span are merged by compaction at commit.
  FH_ASSIGN_OR_RETURN(bool overlaps,
                      OverlapsStored(db, slot.tag_id, slot.pending.ts.front(),
                                     slot.pending.ts.back(), /*check_buffer=*/!to_buffer));
  slot.overlaps |= overlaps;
  if (to_buffer) {
    FH_RETURN_IF_ERROR(chunks_.InsertBuffered(db, slot.tag_id, slot.pending, seq_));
    context_.compaction.AddBuffered(slot.tag_id, static_cast<int64_t>(slot.pending.size()));
    slot.buffered = true;
  } else {
    FH_RETURN_IF_ERROR(
        chunks_.InsertChunks(db, slot.tag_id, slot.pending, 0, slot.pending.size(), seq_));
  }
  slot.pending.clear();
  return Status();
}

Status SqliteSampleWriter::FlushAll(bool final) {
  for (TagSlot& slot : slots_)
    FH_RETURN_IF_ERROR(FlushSlot(slot, final));
  pending_ = 0;
  return Status();
}

Status SqliteSampleWriter::Commit() {
  return CommitWith(nullptr);
}

Status SqliteSampleWriter::CommitWith(const std::function<Status(Db&)>& before_commit) {
  if (failed_) return FailedPrecondition("writer failed earlier; nothing was stored");
  if (!txn_) return FailedPrecondition("writer already committed");
  Db& db = context_.db;
  Status s = FlushAll(true);
  // Tags whose row buffer reached buffer_points, and tags whose new points reach into
  // stored ones, are compacted in the same transaction.
  for (const TagSlot& slot : slots_) {
    if (!s.ok()) break;
    if (slot.overlaps) {
      s = context_.compaction.CompactTag(db, slot.tag_id, /*only_if_buffer_full=*/false, seq_);
    } else if (slot.buffered) {
      s = context_.compaction.CompactTag(db, slot.tag_id, /*only_if_buffer_full=*/true, seq_);
    }
  }
  if (s.ok()) {
    Result<Stmt*> upd = db.Cached("UPDATE ts_meta SET value = ? WHERE key = 'write_seq'");
    s = upd.ok() ? (*upd)->Bind(1, seq_).Run() : upd.status();
  }
  if (s.ok() && before_commit) s = before_commit(db);
  if (s.ok()) s = txn_->Commit();
  txn_.reset();
  if (!s.ok()) {
    context_.compaction.ForgetCounts();  // rolled back: the counts may include its rows
    failed_ = true;
    return s;
  }
  context_.tags.Remember(created_tags_);
  if (context_.after_commit) context_.after_commit();  // under the write lock still
  return Status();
}

}  // namespace fh::sqlite
