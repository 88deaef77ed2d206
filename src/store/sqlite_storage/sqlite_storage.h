// The embedded time-series back end: samples in SQLite as compressed column chunks plus a
// row buffer for fresh points (schema: store/sqlite/migration_0001_timeseries.cpp).
//
// Concurrency: one write connection, used under write_mu_ (SQLite allows one writer at a
// time anyway); reads use a pool of read-only connections, each with its own WAL snapshot.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/hub.h"
#include "store/sqlite/db.h"
#include "store/sqlite_storage/read_pool.h"
#include "store/storage.h"

namespace fh::sqlite {

class SqliteStorage final : public Storage {
 public:
  // Opens the store in an existing, migrated hub database.
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::filesystem::path& db_path,
                                                     const StorageConfig& config);

  Status Write(const SampleBatch& batch) override;
  Result<std::unique_ptr<SampleWriter>> NewWriter() override;
  Result<std::vector<TagInfo>> ListTags() override;
  Status Scan(const std::string& tag, TimeRange range, const ScanFn& fn) override;
  Result<std::optional<Sample>> Latest(const std::string& tag) override;
  Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& query) override;
  Status Compact() override;
  Result<StorageStats> Stats() override;

  const StorageConfig& config() const { return config_; }

 private:
  friend class SqliteSampleWriter;
  SqliteStorage(std::filesystem::path path, StorageConfig config, std::unique_ptr<Db> writer)
      : path_(std::move(path)),
        config_(std::move(config)),
        writer_(std::move(writer)),
        readers_(path_) {}

  // Looks a tag up by name on `db`; NotFound naming it if absent.
  Result<int64_t> FindTag(Db& db, const std::string& name);
  // Compacts one tag; new chunks get write sequence `seq`. With only_if_buffer_full, does
  // nothing unless the tag's row buffer holds buffer_points. The caller holds write_mu_
  // and a write transaction.
  Status CompactTag(int64_t tag_id, bool only_if_buffer_full, int64_t seq);

  const std::filesystem::path path_;
  const StorageConfig config_;
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;  // guarded by write_mu_
  ReadPool readers_;
  std::mutex tag_cache_mu_;
  std::unordered_map<std::string, int64_t> tag_cache_;  // committed tags; guarded by tag_cache_mu_
};

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

}  // namespace fh::sqlite
