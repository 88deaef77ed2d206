#include "store/sqlite_storage/sqlite_writer.h"

namespace fh::sqlite {

// Reserved so that every stored point t has a range [t, t + 1).
constexpr TimestampNs kMaxTimestamp = std::numeric_limits<TimestampNs>::max();

Result<std::unique_ptr<SqliteSampleWriter>> SqliteSampleWriter::Begin(SqliteStorage* storage) {
  std::unique_lock lock(storage->write_mu_);
  Db& db = *storage->writer_;
  FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(Stmt * seq, db.Cached("SELECT value FROM ts_meta WHERE key = 'write_seq'"));
  FH_ASSIGN_OR_RETURN(bool row, seq->Step());
  if (!row) return Corruption("{}: ts_meta has no write_seq", db.path().string());
  int64_t last_seq = seq->Int(0);
  seq->Reset();
  return std::unique_ptr<SqliteSampleWriter>(
      new SqliteSampleWriter(storage, std::move(lock), std::move(txn), last_seq));
}

SqliteSampleWriter::SqliteSampleWriter(SqliteStorage* storage, std::unique_lock<std::mutex> lock,
                                       Transaction txn, int64_t seq)
    : storage_(storage),
      lock_(std::move(lock)),
      txn_(std::move(txn)),
      seq_(seq),
      chunks_(storage->config().chunk_points) {}

Result<size_t> SqliteSampleWriter::SlotFor(const std::string& name) {
  auto it = slot_by_name_.find(name);
  if (it != slot_by_name_.end()) return it->second;
  if (name.empty() || name.size() > kMaxTagNameBytes) {
    return InvalidArgument("tag name must be 1..{} bytes, got {}: '{}'", kMaxTagNameBytes,
                           name.size(), name.substr(0, 64));
  }
  Db& db = *storage_->writer_;
  int64_t id = 0;
  {
    std::lock_guard lock(storage_->tag_cache_mu_);
    auto cached = storage_->tag_cache_.find(name);
    if (cached != storage_->tag_cache_.end()) id = cached->second;
  }
  if (id == 0) {
    FH_ASSIGN_OR_RETURN(Stmt * ins,
                        db.Cached("INSERT INTO tag(name) VALUES(?) ON CONFLICT(name) DO NOTHING"));
    FH_RETURN_IF_ERROR(ins->Bind(1, name).Run());
    FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT id FROM tag WHERE name = ?"));
    sel->Bind(1, name);
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) return Internal("tag '{}' vanished after insert", name);
    id = sel->Int(0);
    sel->Reset();
  }
  slots_.push_back(TagSlot{id, {}});
  slot_by_name_.emplace(name, slots_.size() - 1);
  return slots_.size() - 1;
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
  const size_t chunk_points = static_cast<size_t>(chunks_.chunk_points());
  for (size_t i = 0; i < batch.size(); ++i) {
    if (ts[i] == kMaxTimestamp) [[unlikely]] {
      failed_ = true;
      return InvalidArgument("timestamp {} of tag '{}' is out of range (max {})", ts[i],
                             batch.tag_names()[tag[i]], kMaxTimestamp - 1);
    }
    TagSlot& slot = slots_[batch_slots_[tag[i]]];
    slot.pending.Append(ts[i], value[i], quality[i]);
    if (slot.pending.size() >= chunk_points) {
      pending_ -= slot.pending.size() - 1;
      Status s = FlushSlot(slot, false);
      if (!s.ok()) {
        failed_ = true;
        return s;
      }
    } else {
      ++pending_;
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
  Db& db = *storage_->writer_;
  ++seq_;
  if (final && slot.pending.size() < static_cast<size_t>(storage_->config().buffer_points)) {
    FH_RETURN_IF_ERROR(chunks_.InsertBuffered(db, slot.tag_id, slot.pending, seq_));
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
  if (failed_) return FailedPrecondition("writer failed earlier; nothing was stored");
  if (!txn_) return FailedPrecondition("writer already committed");
  Db& db = *storage_->writer_;
  Status s = FlushAll(true);
  // Tags whose row buffer reached buffer_points are compacted in the same transaction.
  for (const TagSlot& slot : slots_) {
    if (!s.ok()) break;
    if (slot.buffered) s = storage_->CompactTag(slot.tag_id, /*only_if_buffer_full=*/true, seq_);
  }
  if (s.ok()) {
    Result<Stmt*> upd = db.Cached("UPDATE ts_meta SET value = ? WHERE key = 'write_seq'");
    s = upd.ok() ? (*upd)->Bind(1, seq_).Run() : upd.status();
  }
  if (s.ok()) s = txn_->Commit();
  txn_.reset();
  if (!s.ok()) {
    failed_ = true;
    return s;
  }
  std::lock_guard lock(storage_->tag_cache_mu_);
  for (const auto& [name, index] : slot_by_name_)
    storage_->tag_cache_[name] = slots_[index].tag_id;
  return Status();
}

}  // namespace fh::sqlite
