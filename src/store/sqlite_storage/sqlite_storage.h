// The embedded time-series back end: samples in SQLite as compressed column chunks plus a
// row buffer for fresh points (schema: store/sqlite/migration_0001_timeseries.cpp).
//
// Small writes go to a write log first (write_log.h) and reach the row buffer and chunks in
// bulk; reads merge the log's points their snapshot lacks.
//
// Concurrency: one write connection, used under write_mu_ (SQLite allows one writer at a
// time anyway); reads use a pool of read-only connections, each with its own WAL snapshot.
//
// Its parts, each with one concern: the tags by name (tag_directory.h), each tag's row
// buffer and its compaction (tag_compaction.h), the write log (write_log.h), and the
// streaming writer (sqlite_writer.h), which is handed what it writes through (a
// SqliteWriteContext) rather than reaching into this class.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "common/string_map.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "store/sqlite_storage/group_commit.h"
#include "store/sqlite_storage/read_pool.h"
#include "store/sqlite_storage/sqlite_writer.h"
#include "store/sqlite_storage/tag_compaction.h"
#include "store/sqlite_storage/tag_directory.h"
#include "store/sqlite_storage/write_log.h"
#include "store/storage.h"

namespace fh::sqlite {

// BEGIN (deferred) ... COMMIT for a consistent read snapshot across several statements.
class ReadTxn {
 public:
  static Result<ReadTxn> Begin(Db& db);
  ReadTxn(ReadTxn&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ReadTxn& operator=(ReadTxn&&) = delete;
  ~ReadTxn();

 private:
  explicit ReadTxn(Db* db) : db_(db) {}
  Db* db_;
};

class SqliteStorage final : public Storage {
 public:
  // Opens the store in an existing, migrated hub database. With a read_only_reason it
  // writes nothing (Db::OpenReadOnly connections, no writer); Write, NewWriter and Compact
  // then fail giving that reason.
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::filesystem::path& db_path,
                                                     const StorageConfig& config,
                                                     const std::string& read_only_reason = "");

  Status Write(const SampleBatch& batch) override;
  Result<std::unique_ptr<SampleWriter>> NewWriter() override;
  Result<std::vector<TagInfo>> ListTags() override;
  Status Scan(const std::string& tag, TimeRange range, const ScanFn& fn) override;
  Result<std::optional<Sample>> Latest(const std::string& tag) override;
  Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& query) override;
  Status Compact() override;
  Result<StorageStats> Stats() override;
  Status DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) override;

  const StorageConfig& config() const { return config_; }

  // Writes of fewer points than this go to the write log (when config().log_points > 0).
  static constexpr size_t kLogBatchPoints = 65536;
  // The log is flushed after this many writes too, however small: every read looks at
  // each logged write, so a trickle of tiny writes must not pile up.
  static constexpr size_t kMaxLogWrites = 256;
  // A flush the log's size triggers leaves its newest writes in the log, and cuts where no
  // tag's flushed points are newer than its points left (FlushCut). Concurrent clients'
  // requests commit in any order, so a write logged just after a flush often holds points
  // older than those of one it flushed: they would reach into the new chunks and make
  // every tag they touch compact them again (layout.h). Left in the log, they are merged
  // in memory with the next flush instead.
  static constexpr size_t kLogTailWrites = 16;

 private:
  SqliteStorage(std::filesystem::path path, StorageConfig config, std::unique_ptr<Db> writer)
      : path_(std::move(path)),
        config_(std::move(config)),
        writer_(std::move(writer)),
        readers_(path_) {}

  // A read: its snapshot and the write log's segments that the snapshot lacks.
  struct ReadView {
    ReaderGate::Pass pass;  // first: released after the snapshot ends
    ReadTxn txn;
    FreshPoints::View fresh;
  };
  Result<ReadView> BeginRead(Db& db);

  // What a writer on the write connection works with. Caller holds write_mu_.
  SqliteWriteContext WriteContext();
  // A writer holding write_mu_ for its lifetime, begun after the write log's points moved
  // into the store (so that its points are newer than theirs).
  Result<std::unique_ptr<SqliteSampleWriter>> BeginWriter();
  // A small write: one row of the write log, then its segment in fresh_. Concurrent small
  // writes commit together (GroupCommit): one transaction and one fsync for the group.
  Status WriteLogged(const SampleBatch& batch);
  struct LogWrite {
    const SampleBatch* batch = nullptr;
    std::vector<int64_t> ids;  // of the batch's tags
    bool resolved = false;     // ids, segment and data are ready (every tag was known)
    LogSegment segment;
    std::string data;  // the segment encoded
  };
  // Logs a group of writes in one transaction, creating the tags they introduce. Takes
  // write_mu_.
  Status CommitLogGroup(std::span<LogWrite*> group);
  // Moves the logged segments, all but the newest `keep_newest`, into the row buffer and
  // chunks in one transaction. Caller holds write_mu_.
  Status FlushLogLocked(size_t keep_newest = 0);
  Status ReadOnlyError() const;
  // Compact(): folds the WAL into the database and truncates it, then returns the free
  // pages at the file's end to the file system. Caller holds write_mu_.
  Status ReclaimSpace();
  // Compact(): the log's flush and every tag's compaction, in one transaction.
  Status CompactLocked();
  // At open: the log's rows back into fresh_.
  Status ReplayLog();
  // At open: repairs the layout of layout.h in a hub written by an older factoryhub.
  Status KeepLayout();
  // Without that layout (a read-only open of such a hub): the distinct stored points of
  // the tags that break it, counted the slow way. Empty otherwise.
  Result<std::unordered_map<int64_t, int64_t>> UncountableTags(Db& db);
  // After a commit: when the WAL has grown past kWalSizeLimit, copies it into the database
  // and truncates it, waiting a moment for readers of older snapshots. Readers that keep
  // coming (a server's) would otherwise never let SQLite's own checkpoints restart it, and
  // it would grow without bound. If readers hold it still, tries again once it has grown
  // by another half limit. Caller holds write_mu_.
  void KeepWalSmall();

  const std::filesystem::path path_;
  const StorageConfig config_;
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;            // guarded by write_mu_; null: read-only
  TagCompaction compaction_{config_};     // guarded by write_mu_
  std::string read_only_reason_;          // empty: writable
  bool layout_kept_ = false;              // layout.h; set at open
  int64_t wal_check_at_ = kWalSizeLimit;  // KeepWalSmall; guarded by write_mu_
  FreshPoints fresh_;                     // logged segments not yet flushed
  GroupCommit<LogWrite> log_queue_;       // WriteLogged's writers
  ReadPool readers_;
  ReaderGate reader_gate_;  // KeepWalSmall
  TagDirectory tags_;
};

}  // namespace fh::sqlite
