#include "store/sqlite_storage/sqlite_storage.h"

#include <sys/stat.h>

#include <algorithm>
#include <limits>

#include "store/sqlite_storage/fresh_counts.h"
#include "store/sqlite_storage/layout.h"
#include "store/sqlite_storage/series_reader.h"
#include "store/sqlite_storage/sqlite_writer.h"

namespace fh::sqlite {

Result<ReadTxn> ReadTxn::Begin(Db& db) {
  FH_RETURN_IF_ERROR(db.Exec("BEGIN"));
  return ReadTxn(&db);
}

ReadTxn::~ReadTxn() {
  if (db_) (void)db_->Exec("COMMIT");  // read-only: nothing to lose if it fails
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const std::filesystem::path& db_path,
                                                           const StorageConfig& config,
                                                           const std::string& read_only_reason) {
  if (config.chunk_points < 16 || config.chunk_points > (1 << 20)) {
    return InvalidArgument("storage.chunk_points must be 16..1048576, got {}", config.chunk_points);
  }
  if (config.buffer_points < 1 || config.buffer_points > config.chunk_points) {
    return InvalidArgument("storage.buffer_points must be 1..chunk_points ({}), got {}",
                           config.chunk_points, config.buffer_points);
  }
  if (config.log_points < 0) {
    return InvalidArgument("storage.log_points must be 0 (no log) or more, got {}",
                           config.log_points);
  }
  if (config.busy_timeout_ms < 0) {
    return InvalidArgument("storage.busy_timeout_ms must be 0 or more, got {}",
                           config.busy_timeout_ms);
  }
  if (!read_only_reason.empty()) {
    // No writer and no replay: reads load the write log's entries themselves, as they do
    // another process's.
    std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db_path, config, nullptr));
    storage->read_only_reason_ = read_only_reason;
    FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, storage->readers_.Acquire());
    FH_ASSIGN_OR_RETURN(storage->layout_kept_, LayoutKept(lease.db()));
    return storage;
  }
  std::string sync = config.synchronous == "normal" ? "NORMAL" : "FULL";
  FH_ASSIGN_OR_RETURN(
      std::unique_ptr<Db> writer,
      Db::Open(db_path, {.synchronous = sync, .busy_timeout_ms = config.busy_timeout_ms}));
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db_path, config, std::move(writer)));
  FH_RETURN_IF_ERROR(storage->ReplayLog());
  if (Status s = storage->KeepLayout(); !s.ok()) {
    // Not repaired (e.g. no room to write on a full disk): counts are then made the slow
    // way (UncountableTags), and the repair is tried again at the next open.
    storage->layout_kept_ = false;
  }
  return storage;
}

Status SqliteStorage::ReadOnlyError() const {
  return FailedPrecondition("{}: the hub is open read-only ({}): nothing can be written",
                            path_.parent_path().string(), read_only_reason_);
}

Status SqliteStorage::KeepLayout() {
  std::lock_guard lock(write_mu_);
  Db& db = *writer_;
  FH_ASSIGN_OR_RETURN(layout_kept_, LayoutKept(db));
  if (layout_kept_) return Status();
  // A hub written by an older factoryhub: compact the tags whose stored points may share
  // timestamps, so that counting them needs no decoding from now on.
  RecountBuffers recount(compaction_);
  FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(const int64_t seq, LastWriteSeq(db));
  FH_ASSIGN_OR_RETURN(std::vector<int64_t> tags, TagsBreakingLayout(db));
  for (int64_t tag_id : tags)
    FH_RETURN_IF_ERROR(compaction_.CompactTag(db, tag_id, /*only_if_buffer_full=*/false, seq));
  FH_RETURN_IF_ERROR(MarkLayoutKept(db));
  FH_RETURN_IF_ERROR(txn.Commit());
  layout_kept_ = true;
  return Status();
}

Result<std::unordered_map<int64_t, int64_t>> SqliteStorage::UncountableTags(Db& db) {
  std::unordered_map<int64_t, int64_t> counts;
  if (layout_kept_) return counts;
  FH_ASSIGN_OR_RETURN(std::vector<int64_t> tags, TagsBreakingLayout(db));
  for (int64_t tag_id : tags) {
    FH_ASSIGN_OR_RETURN(counts[tag_id], CountDistinctStored(db, tag_id));
  }
  return counts;
}

Status SqliteStorage::Write(const SampleBatch& batch) {
  if (!writer_) return ReadOnlyError();
  if (config_.log_points > 0 && batch.size() < kLogBatchPoints) return WriteLogged(batch);
  FH_ASSIGN_OR_RETURN(auto writer, BeginWriter());
  FH_RETURN_IF_ERROR(writer->Append(batch));
  return writer->Commit();
}

Result<SqliteStorage::ReadView> SqliteStorage::BeginRead(Db& db) {
  // The snapshot and the segments it lacks, together: no flush can remove a segment (nor a
  // write add one) between the two while the lock is held.
  std::vector<std::shared_ptr<const LogSegment>> foreign;  // logged by another process
  Result<ReadView> view = [&]() -> Result<ReadView> {
    ReaderGate::Pass pass = reader_gate_.Enter();
    std::shared_lock lock(fresh_.mutex());
    FH_ASSIGN_OR_RETURN(ReadTxn txn, ReadTxn::Begin(db));
    FH_ASSIGN_OR_RETURN(Stmt * sel,
                        db.Cached("SELECT value FROM ts_meta WHERE key = 'log_flushed_seq'"));
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    const int64_t flushed = row ? sel->Int(0) : 0;
    sel->Reset();
    FreshPoints::View fresh = fresh_.Unflushed(flushed);
    // The log's entries this process has not seen (another process wrote them): a few rows
    // at most, as the log is flushed every log_points points.
    FH_ASSIGN_OR_RETURN(Stmt * log, db.Cached("SELECT seq FROM sample_log WHERE seq > ?"));
    log->Bind(1, flushed);
    std::vector<int64_t> missing;
    while (true) {
      FH_ASSIGN_OR_RETURN(bool more, log->Step());
      if (!more) break;
      if (!fresh_.Has(log->Int(0))) missing.push_back(log->Int(0));
    }
    log->Reset();
    for (int64_t seq : missing) {
      FH_ASSIGN_OR_RETURN(Stmt * data, db.Cached("SELECT data FROM sample_log WHERE seq = ?"));
      data->Bind(1, seq);
      FH_ASSIGN_OR_RETURN(bool found, data->Step());
      if (found) {
        Result<LogSegment> segment = DecodeSegment(data->Blob(0), seq);
        data->Reset();
        if (!segment.ok()) return segment.status().WithContext(path_.string());
        foreign.push_back(std::make_shared<const LogSegment>(std::move(*segment)));
        fresh.push_back(foreign.back());
      } else {
        data->Reset();
      }
    }
    if (!foreign.empty()) {
      std::sort(fresh.begin(), fresh.end(),
                [](const auto& a, const auto& b) { return a->seq < b->seq; });
    }
    return ReadView{std::move(pass), std::move(txn), std::move(fresh)};
  }();
  // Remembered for the next reads, and flushed with ours (outside the shared lock: Add
  // takes it exclusively).
  for (auto& segment : foreign)
    fresh_.Add(std::move(segment));
  return view;
}

SqliteWriteContext SqliteStorage::WriteContext() {
  return {*writer_, config_, tags_, compaction_, [this] { KeepWalSmall(); }};
}

Result<std::unique_ptr<SqliteSampleWriter>> SqliteStorage::BeginWriter() {
  std::unique_lock lock(write_mu_);
  // The flush and this writer's transaction are two transactions: another process may log
  // a write in between. Its points would then be older than this writer's yet counted
  // against the stored points of before (fresh_counts.h): flush again until none came.
  for (int attempt = 0;; ++attempt) {
    FH_RETURN_IF_ERROR(FlushLogLocked());
    FH_ASSIGN_OR_RETURN(Stmt * logged,
                        writer_->Cached("SELECT 1 FROM sample_log WHERE seq > (SELECT value FROM "
                                        "ts_meta WHERE key = 'log_flushed_seq') LIMIT 1"));
    FH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteSampleWriter> w,
                        SqliteSampleWriter::Begin(WriteContext(), {}));
    FH_ASSIGN_OR_RETURN(bool unflushed, logged->Step());
    logged->Reset();
    if (!unflushed || attempt == 10) {
      w->HoldLock(std::move(lock));
      return w;
    }
  }
}

Status SqliteStorage::WriteLogged(const SampleBatch& batch) {
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!IsStorableTimestamp(batch.ts()[i])) [[unlikely]] {
      return UnstorableTimestamp(batch.ts()[i], batch.tag_names()[batch.tag()[i]]);
    }
  }
  for (const std::string& name : batch.tag_names()) {
    if (!IsValidTagName(name)) [[unlikely]] {
      return InvalidArgument("tag name must be 1..{} bytes, got {}: '{}'", kMaxTagNameBytes,
                             name.size(), name.substr(0, 64));
    }
  }
  // Everything that needs no lock is done before queueing: the ids of known tags, and the
  // segment grouped and compressed. A write with a new tag does that in its group's
  // transaction, where the tag is created.
  LogWrite write;
  write.batch = &batch;
  write.ids.resize(batch.tag_names().size());
  write.resolved = true;
  write.resolved = tags_.FindCached(batch.tag_names(), &write.ids);
  if (write.resolved) {
    write.segment = MakeSegment(batch, write.ids, 0);
    write.data = EncodeSegment(write.segment);
    if (write.data.empty())
      return Internal("write log: compressing {} points failed", batch.size());
  }
  return log_queue_.Submit(&write,
                           [this](std::span<LogWrite*> group) { return CommitLogGroup(group); });
}

Status SqliteStorage::CommitLogGroup(std::span<LogWrite*> group) {
  std::unique_lock lock(write_mu_);
  if (!writer_) return ReadOnlyError();
  Db& db = *writer_;
  // Tags created in this transaction: two writes of the group may introduce the same one,
  // and the second must not take it for a committed tag (EnsureTag would cache it).
  std::vector<std::pair<std::string, int64_t>> created_tags;
  // By name, for the group's later writes (the names live in the writes' batches): a
  // first write of a new plant introduces thousands of tags at once.
  std::unordered_map<std::string_view, int64_t> created_ids;
  {
    FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
    FH_ASSIGN_OR_RETURN(int64_t seq, LastWriteSeq(db));
    for (LogWrite* write : group) {
      if (!write->resolved) {
        const SampleBatch& batch = *write->batch;
        for (size_t t = 0; t < write->ids.size(); ++t) {
          const std::string& name = batch.tag_names()[t];
          if (auto known = created_ids.find(name); known != created_ids.end()) {
            write->ids[t] = known->second;
            continue;
          }
          bool created = false;
          FH_ASSIGN_OR_RETURN(write->ids[t], tags_.Ensure(db, name, &created));
          if (created) {
            created_tags.emplace_back(name, write->ids[t]);
            created_ids.emplace(name, write->ids[t]);
          }
        }
        write->segment = MakeSegment(batch, write->ids, 0);
        write->data = EncodeSegment(write->segment);
        if (write->data.empty()) {
          return Internal("write log: compressing {} points failed", batch.size());
        }
      }
      write->segment.seq = ++seq;
      FH_ASSIGN_OR_RETURN(Stmt * ins, db.Cached("INSERT INTO sample_log(seq, data) VALUES(?, ?)"));
      FH_RETURN_IF_ERROR(ins->Bind(1, seq).BindBlob(2, std::string_view(write->data)).Run());
    }
    FH_ASSIGN_OR_RETURN(Stmt * upd,
                        db.Cached("UPDATE ts_meta SET value = ? WHERE key = 'write_seq'"));
    FH_RETURN_IF_ERROR(upd->Bind(1, seq).Run());
    FH_RETURN_IF_ERROR(txn.Commit());
  }
  tags_.Remember(created_tags);
  for (LogWrite* write : group)
    fresh_.Add(std::move(write->segment));
  if (fresh_.points() >= static_cast<size_t>(config_.log_points) ||
      fresh_.segments() >= kMaxLogWrites) {
    // The writes are durable in the log already: a failed flush is retried by the next one,
    // not reported as their failure.
    (void)FlushLogLocked(kLogTailWrites);
  }
  KeepWalSmall();
  return Status();
}

void SqliteStorage::KeepWalSmall() {
  // How long a truncation waits for readers to leave the WAL. Under a steady stream of
  // reads it takes tens of milliseconds (SQLite's busy handler polls with growing sleeps);
  // it is done once per 16 MiB of WAL.
  constexpr int kWaitMs = 1000;
  struct stat st;
  const std::string wal = path_.string() + "-wal";
  if (::stat(wal.c_str(), &st) != 0 || st.st_size < wal_check_at_) return;
  // Not emptied (readers still on it, or an error): no harm, it is tried again later, and
  // SQLite's own passive checkpoints go on copying it meanwhile.
  // This process's reads wait meanwhile (ReaderGate); other processes' are waited for.
  const bool readers_left = reader_gate_.Close(std::chrono::milliseconds(kWaitMs));
  Result<bool> emptied =
      readers_left ? writer_->CheckpointWal(/*passive=*/false, kWaitMs) : Result<bool>(false);
  reader_gate_.Open();
  const bool done = emptied.ok() && *emptied;
  const int64_t now = ::stat(wal.c_str(), &st) == 0 ? st.st_size : 0;
  wal_check_at_ = done ? kWalSizeLimit : std::max(kWalSizeLimit, now + kWalSizeLimit / 2);
}

Status SqliteStorage::FlushLogLocked(size_t keep_newest) {
  FreshPoints::View all = fresh_.All();
  // Another process sharing the hub may have logged entries this one has not seen (they
  // go too: the log is deleted up to the last entry flushed) and flushed some it has
  // (skipped: their points are in the chunks already, and writing them again would put
  // them after writes that came later). The write lock (BEGIN IMMEDIATE) keeps the log
  // still meanwhile.
  FH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteSampleWriter> writer,
                      SqliteSampleWriter::Begin(WriteContext(), {}));
  writer->RemaindersToChunks();
  Db& db = *writer_;
  FH_ASSIGN_OR_RETURN(Stmt * sel,
                      db.Cached("SELECT value FROM ts_meta WHERE key = 'log_flushed_seq'"));
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  const int64_t flushed = row ? sel->Int(0) : 0;
  sel->Reset();
  FH_ASSIGN_OR_RETURN(Stmt * log, db.Cached("SELECT seq, data FROM sample_log WHERE seq > ?"));
  log->Bind(1, flushed);
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, log->Step());
    if (!more) break;
    const int64_t seq = log->Int(0);
    if (std::any_of(all.begin(), all.end(), [&](const auto& s) { return s->seq == seq; })) continue;
    Result<LogSegment> segment = DecodeSegment(log->Blob(1), seq);
    if (!segment.ok()) {
      log->Reset();
      return segment.status().WithContext(path_.string());
    }
    all.push_back(std::make_shared<const LogSegment>(std::move(*segment)));
  }
  log->Reset();
  std::erase_if(all, [&](const auto& s) { return s->seq <= flushed; });
  if (all.empty()) {
    fresh_.RemoveUpTo(flushed);
    return Status();  // the writer rolls back: nothing to do
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a->seq < b->seq; });
  all.resize(FlushCut(all, keep_newest));
  if (all.empty()) return Status();  // the writer rolls back
  const int64_t upto = all.back()->seq;
  for (const auto& segment : all) {
    for (const LogSegment::TagRange& t : segment->tags) {
      const size_t n = t.end - t.begin;
      FH_RETURN_IF_ERROR(writer->AppendTag(t.tag_id, std::span(segment->ts).subspan(t.begin, n),
                                           std::span(segment->values).subspan(t.begin, n),
                                           std::span(segment->quality).subspan(t.begin, n)));
    }
  }
  // In the same transaction: the log's rows go, and readers learn that chunks hold them.
  auto forget_logged = [upto](Db& txn_db) -> Status {
    FH_ASSIGN_OR_RETURN(Stmt * del, txn_db.Cached("DELETE FROM sample_log WHERE seq <= ?"));
    FH_RETURN_IF_ERROR(del->Bind(1, upto).Run());
    FH_ASSIGN_OR_RETURN(
        Stmt * upd, txn_db.Cached("UPDATE ts_meta SET value = ? WHERE key = 'log_flushed_seq'"));
    return upd->Bind(1, upto).Run();
  };
  FH_RETURN_IF_ERROR(writer->CommitWith(forget_logged));
  fresh_.RemoveUpTo(upto);
  return Status();
}

Status SqliteStorage::ReplayLog() {
  Db& db = *writer_;
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT seq, data FROM sample_log ORDER BY seq"));
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) break;
    Result<LogSegment> segment = DecodeSegment(sel->Blob(1), sel->Int(0));
    if (!segment.ok()) {
      sel->Reset();
      return segment.status().WithContext(path_.string());
    }
    fresh_.Add(std::move(*segment));
  }
  sel->Reset();
  return Status();
}

Result<std::unique_ptr<SampleWriter>> SqliteStorage::NewWriter() {
  if (!writer_) return ReadOnlyError();
  FH_ASSIGN_OR_RETURN(auto writer, BeginWriter());
  return std::unique_ptr<SampleWriter>(std::move(writer));
}

Result<std::vector<TagInfo>> SqliteStorage::ListTags() {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadView view, BeginRead(db));
  FH_ASSIGN_OR_RETURN(
      Stmt * sel,
      db.Cached("SELECT t.id, t.name, COALESCE(c.n, 0) + COALESCE(b.n, 0), "
                "MIN(COALESCE(c.t_min, b.t_min), COALESCE(b.t_min, c.t_min)), "
                "MAX(COALESCE(c.t_max, b.t_max), COALESCE(b.t_max, c.t_max)) "
                "FROM tag t "
                "LEFT JOIN (SELECT tag_id, SUM(n) AS n, MIN(t_min) AS t_min, MAX(t_max) AS t_max "
                "           FROM sample_chunk GROUP BY tag_id) c ON c.tag_id = t.id "
                "LEFT JOIN (SELECT tag_id, COUNT(*) AS n, MIN(ts) AS t_min, MAX(ts) AS t_max "
                "           FROM sample_buffer GROUP BY tag_id) b ON b.tag_id = t.id "
                "ORDER BY t.name"));
  std::vector<TagInfo> tags;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) break;
    tags.push_back({sel->Int(0), std::string(sel->Text(1)), sel->Int(2), sel->OptInt(3).value_or(0),
                    sel->OptInt(4).value_or(0)});
  }
  sel->Reset();
  FH_ASSIGN_OR_RETURN(auto uncountable, UncountableTags(db));
  for (TagInfo& t : tags) {
    if (auto it = uncountable.find(t.id); it != uncountable.end()) t.samples = it->second;
  }
  if (view.fresh.empty()) return tags;
  // The write log's points, which the snapshot does not hold yet, less those that only
  // overwrite a stored or earlier logged point.
  FH_ASSIGN_OR_RETURN(auto fresh, CountFresh(db, view.fresh, fresh_, layout_kept_));
  for (TagInfo& t : tags) {
    auto it = fresh.find(t.id);
    if (it == fresh.end()) continue;
    const FreshTagCount& f = it->second;
    const bool stored = t.samples > 0;
    t.first_ts = stored ? std::min(t.first_ts, f.first_ts) : f.first_ts;
    t.last_ts = stored ? std::max(t.last_ts, f.last_ts) : f.last_ts;
    t.samples += f.points;
  }
  return tags;
}

namespace {

class ScanVisitor final : public SeriesVisitor {
 public:
  explicit ScanVisitor(const ScanFn& fn) : fn_(fn) {}
  bool Points(std::span<const TimestampNs> ts, std::span<const double> values,
              std::span<const uint32_t> quality) override {
    return fn_(ts, values, quality);
  }

 private:
  const ScanFn& fn_;
};

class LastPointVisitor final : public SeriesVisitor {
 public:
  bool Points(std::span<const TimestampNs> ts, std::span<const double> values,
              std::span<const uint32_t> quality) override {
    last = Sample{ts.back(), values.back(), quality.back()};
    return true;
  }
  std::optional<Sample> last;
};

}  // namespace

Status SqliteStorage::Scan(const std::string& tag, TimeRange range, const ScanFn& fn) {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  FH_ASSIGN_OR_RETURN(ReadView view, BeginRead(lease.db()));
  FH_ASSIGN_OR_RETURN(int64_t tag_id, tags_.Find(lease.db(), tag));
  std::vector<SeqSample> fresh;
  CollectFresh(view.fresh, tag_id, range, &fresh);
  ScanVisitor visitor(fn);
  return ReadSeries(lease.db(), tag_id, range, visitor, fresh);
}

Result<std::optional<Sample>> SqliteStorage::Latest(const std::string& tag) {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadView view, BeginRead(db));
  FH_ASSIGN_OR_RETURN(int64_t tag_id, tags_.Find(db, tag));
  FH_ASSIGN_OR_RETURN(
      Stmt * sel, db.Cached("SELECT MAX((SELECT MAX(t_max) FROM sample_chunk WHERE tag_id = ?1), "
                            "(SELECT MAX(ts) FROM sample_buffer WHERE tag_id = ?1)), "
                            "(SELECT MAX(t_max) FROM sample_chunk WHERE tag_id = ?1), "
                            "(SELECT MAX(ts) FROM sample_buffer WHERE tag_id = ?1)"));
  sel->Bind(1, tag_id);
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  // MAX(a, b) is NULL if either is NULL: fall back to whichever exists.
  // A plain flag rather than std::optional: GCC 12 -O3 misreports the latter as uninitialised.
  bool found = false;
  int64_t last = 0;
  for (int column = 0; row && !found && column < 3; ++column) {
    if (const std::optional<int64_t> v = sel->OptInt(column)) {
      last = *v;
      found = true;
    }
  }
  sel->Reset();
  for (const auto& segment : view.fresh) {  // the log's points are sorted per tag
    if (const LogSegment::TagRange* r = segment->Find(tag_id); r && r->begin < r->end) {
      last = found ? std::max(last, segment->ts[r->end - 1]) : segment->ts[r->end - 1];
      found = true;
    }
  }
  if (!found) return std::optional<Sample>();
  LastPointVisitor visitor;
  TimeRange range{last, last + 1};  // writers reject INT64_MAX, so no overflow
  std::vector<SeqSample> fresh;
  CollectFresh(view.fresh, tag_id, range, &fresh);
  FH_RETURN_IF_ERROR(ReadSeries(db, tag_id, range, visitor, fresh));
  return visitor.last;
}

Result<StorageStats> SqliteStorage::Stats() {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadView view, BeginRead(db));
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT (SELECT COUNT(*) FROM tag), "
                                            "(SELECT COALESCE(SUM(n), 0) FROM sample_chunk), "
                                            "(SELECT COUNT(*) FROM sample_chunk), "
                                            "(SELECT COUNT(*) FROM sample_buffer)"));
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  StorageStats stats;
  if (row) {
    stats.tags = sel->Int(0);
    stats.chunks = sel->Int(2);
    stats.buffered = sel->Int(3);
    stats.samples = sel->Int(1) + stats.buffered;
  }
  sel->Reset();
  FH_ASSIGN_OR_RETURN(auto uncountable, UncountableTags(db));
  if (!uncountable.empty()) {
    // A hub not yet repaired (layout.h), opened read-only: those tags' rows, less their
    // distinct points, are overwritten duplicates.
    FH_ASSIGN_OR_RETURN(Stmt * rows,
                        db.Cached("SELECT (SELECT COALESCE(SUM(n), 0) FROM sample_chunk WHERE "
                                  "tag_id = ?1) + (SELECT COUNT(*) FROM sample_buffer WHERE "
                                  "tag_id = ?1)"));
    for (const auto& [tag_id, distinct] : uncountable) {
      rows->Bind(1, tag_id);
      FH_ASSIGN_OR_RETURN(bool found, rows->Step());
      if (found) stats.samples -= rows->Int(0) - distinct;
      rows->Reset();
    }
  }
  for (const auto& segment : view.fresh)  // waiting in the write log counts as buffered
    stats.buffered += static_cast<int64_t>(segment->size());
  if (!view.fresh.empty()) {
    FH_ASSIGN_OR_RETURN(auto fresh, CountFresh(db, view.fresh, fresh_, layout_kept_));
    for (const auto& [tag_id, count] : fresh)
      stats.samples += count.points;
  }
  for (const char* suffix : {"", "-wal"}) {
    struct stat st;
    std::string file = path_.string() + suffix;
    if (::stat(file.c_str(), &st) == 0) stats.bytes_on_disk += st.st_size;
  }
  return stats;
}

}  // namespace fh::sqlite
