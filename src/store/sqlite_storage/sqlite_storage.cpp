#include "store/sqlite_storage/sqlite_storage.h"

#include <sys/stat.h>

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
                                                           const StorageConfig& config) {
  if (config.chunk_points < 16 || config.chunk_points > (1 << 20)) {
    return InvalidArgument("storage.chunk_points must be 16..1048576, got {}", config.chunk_points);
  }
  if (config.buffer_points < 1 || config.buffer_points > config.chunk_points) {
    return InvalidArgument("storage.buffer_points must be 1..chunk_points ({}), got {}",
                           config.chunk_points, config.buffer_points);
  }
  std::string sync = config.synchronous == "normal" ? "NORMAL" : "FULL";
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Db> writer, Db::Open(db_path, {.synchronous = sync}));
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(db_path, config, std::move(writer)));
}

Status SqliteStorage::Write(const SampleBatch& batch) {
  FH_ASSIGN_OR_RETURN(auto writer, SqliteSampleWriter::Begin(this));
  FH_RETURN_IF_ERROR(writer->Append(batch));
  return writer->Commit();
}

Result<std::unique_ptr<SampleWriter>> SqliteStorage::NewWriter() {
  FH_ASSIGN_OR_RETURN(auto writer, SqliteSampleWriter::Begin(this));
  return std::unique_ptr<SampleWriter>(std::move(writer));
}

Result<int64_t> SqliteStorage::FindTag(Db& db, const std::string& name) {
  {
    std::lock_guard lock(tag_cache_mu_);
    auto it = tag_cache_.find(name);
    if (it != tag_cache_.end()) return it->second;
  }
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT id FROM tag WHERE name = ?"));
  sel->Bind(1, name);
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  if (!row) return NotFound("no tag named '{}'", name);
  int64_t id = sel->Int(0);
  sel->Reset();
  std::lock_guard lock(tag_cache_mu_);
  tag_cache_[name] = id;
  return id;
}

Result<std::vector<TagInfo>> SqliteStorage::ListTags() {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadTxn txn, ReadTxn::Begin(db));
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
  FH_ASSIGN_OR_RETURN(ReadTxn txn, ReadTxn::Begin(lease.db()));
  FH_ASSIGN_OR_RETURN(int64_t tag_id, FindTag(lease.db(), tag));
  ScanVisitor visitor(fn);
  return ReadSeries(lease.db(), tag_id, range, visitor);
}

Result<std::optional<Sample>> SqliteStorage::Latest(const std::string& tag) {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadTxn txn, ReadTxn::Begin(db));
  FH_ASSIGN_OR_RETURN(int64_t tag_id, FindTag(db, tag));
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
  if (!found) return std::optional<Sample>();
  LastPointVisitor visitor;
  TimeRange range{last, last + 1};  // writers reject INT64_MAX, so no overflow
  FH_RETURN_IF_ERROR(ReadSeries(db, tag_id, range, visitor));
  return visitor.last;
}

Result<StorageStats> SqliteStorage::Stats() {
  FH_ASSIGN_OR_RETURN(ReadPool::Lease lease, readers_.Acquire());
  Db& db = lease.db();
  FH_ASSIGN_OR_RETURN(ReadTxn txn, ReadTxn::Begin(db));
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
  for (const char* suffix : {"", "-wal"}) {
    struct stat st;
    std::string file = path_.string() + suffix;
    if (::stat(file.c_str(), &st) == 0) stats.bytes_on_disk += st.st_size;
  }
  return stats;
}

}  // namespace fh::sqlite
