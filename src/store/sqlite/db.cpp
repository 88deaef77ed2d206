#include "store/sqlite/db.h"

#include <sqlite3.h>

namespace fh::sqlite {
namespace {

// Address space, not memory: pages are only read on use, and the OS may drop them.
constexpr int64_t kMmapBytes = int64_t{1} << 30;

// A statement inside a longer transaction that may fail halfway (RETURNING, or an UPDATE
// that sets a foreign key: a quarantined record, a re-imported one) keeps the pages it
// changes in a statement journal, in memory up to this size and in a temporary file beyond.
// SQLite's default, 64 KiB, is four of our 16 KiB pages: such statements spilled to a file,
// two writes per page they touched.
constexpr int kStatementJournalSpillBytes = 4 << 20;

// Process-wide settings, which SQLite takes only before its first use.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    // Each returns SQLITE_MISUSE if something initialised SQLite first: the default stays.
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalSpillBytes);
    // Memory statistics take a global mutex on every allocation (several per inserted
    // row); nothing reads them.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  StatusCode code = StatusCode::kIOError;
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      code = StatusCode::kInvalidArgument;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = StatusCode::kUnavailable;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = StatusCode::kCorruption;
      break;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
      code = StatusCode::kInternal;
      break;
    default:
      break;
  }
  if (rc == SQLITE_IOERR_SHMSIZE) {  // SQLite says only "disk I/O error"
    return Status(code, fmt::format("sqlite: no room for the WAL index (-shm): is the disk "
                                    "full? ({}): {}",
                                    rc, what));
  }
  return Status(code, fmt::format("sqlite: {} ({}): {}", msg, rc, what));
}

}  // namespace

Stmt::Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

// Bind errors (wrong index) are programming errors; they surface at Step() as SQLITE_RANGE.
Stmt& Stmt::Bind(int index, int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}
Stmt& Stmt::Bind(int index, double v) {
  sqlite3_bind_double(stmt_, index, v);
  return *this;
}
Stmt& Stmt::Bind(int index, std::string_view text) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::BindStatic(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_STATIC,
                      SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::BindBlob(int index, std::span<const uint8_t> blob) {
  // A zero-length blob must still be a BLOB, not NULL: SQLite needs a non-null pointer.
  static const uint8_t kEmpty = 0;
  sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmpty : blob.data(), blob.size(),
                      SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlob(int index, std::string_view blob) {
  return BindBlob(
      index, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(blob.data()), blob.size()));
}
Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Status Stmt::Error(int rc) const {
  return SqliteError(db_, rc, sqlite3_sql(stmt_));
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = Error(rc);
  sqlite3_reset(stmt_);
  return s;
}

Status Stmt::Run() {
  int rc;
  while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
  }
  Status s = rc == SQLITE_DONE ? Status() : Error(rc);
  Reset();
  return s;
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int64_t Stmt::Int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
double Stmt::Double(int col) const {
  return sqlite3_column_double(stmt_, col);
}
std::string_view Stmt::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), n) : std::string_view();
}
std::string_view Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}
std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Stmt::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}
std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return std::string(Text(col));
}

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& path,
                                     const OpenOptions& options) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(raw, rc, "open " + path.string());
    sqlite3_close(raw);
    return s;
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  std::unique_ptr<Db> db(new Db(raw, path));
  // SQLite falls back to reading quietly when the file cannot be written (a read-only
  // file or file system); every write would then fail. Say so now instead.
  if (!options.read_only && sqlite3_db_readonly(raw, "main") == 1) {
    return IOError("{}: cannot be opened for writing (read-only file or file system)",
                   path.string());
  }
  db->busy_timeout_ms_ = options.busy_timeout_ms;
  if (!options.read_only) {
    // page_size and auto_vacuum only take effect on a new, empty database, and only there
    // are they set: on an existing one `auto_vacuum=` still writes its header, so every
    // open would be a write (failing on a full disk). 16 KiB pages hold a whole compressed
    // chunk (~9 KiB at 8192 points), so reading one needs no overflow chain and no copy.
    FH_ASSIGN_OR_RETURN(Stmt pages, db->Prepare("PRAGMA page_count"));
    FH_ASSIGN_OR_RETURN(bool row, pages.Step());
    const bool empty = row && pages.Int(0) == 0;
    pages = Stmt();
    if (empty) {
      FH_RETURN_IF_ERROR(db->Exec(
          "PRAGMA page_size=16384; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL;"));
    }
  }
  if (!options.read_only) {
    FH_RETURN_IF_ERROR(db->Exec(fmt::format("PRAGMA journal_size_limit={};", kWalSizeLimit)));
  }
  // mmap: reading a chunk maps the file's pages instead of copying them through SQLite's
  // page cache (the whole-range scans of a query are dominated by that copy otherwise).
  FH_RETURN_IF_ERROR(
      db->Exec(fmt::format("PRAGMA synchronous={}; PRAGMA foreign_keys=ON; PRAGMA mmap_size={};",
                           options.synchronous, kMmapBytes)));
  return db;
}

Result<std::unique_ptr<Db>> Db::OpenReadOnly(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound("no database {}", path.string());
  // sqlite3_open_v2 touches no file yet: a first read tells whether the WAL can be used.
  auto probe = [](Db& db) { return db.Exec("SELECT count(*) FROM sqlite_schema"); };
  Result<std::unique_ptr<Db>> db = Open(path, {.read_only = true});
  Status status = db.ok() ? probe(**db) : db.status();
  if (status.ok()) return db;
  const std::filesystem::path wal = path.string() + "-wal";
  const auto wal_size = std::filesystem::file_size(wal, ec);
  if (!ec && wal_size > 0) {
    return status.WithContext(fmt::format(
        "{} has a WAL ({} bytes) that cannot be read without its index ({}-shm), which cannot "
        "be created here (full disk or read-only folder): free some space, or copy the hub "
        "elsewhere",
        path.string(), wal_size, path.string()));
  }
  // No WAL with content: the database file alone is the whole database.
  ConfigureSqliteOnce();
  const std::string uri = "file:" + path.string() + "?immutable=1";
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &raw,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(raw, rc, "open " + uri);
    sqlite3_close(raw);
    return s;
  }
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<Db> immutable(new Db(raw, path));
  FH_RETURN_IF_ERROR(
      immutable->Exec(fmt::format("PRAGMA foreign_keys=ON; PRAGMA mmap_size={};", kMmapBytes)));
  FH_RETURN_IF_ERROR(probe(*immutable));
  return immutable;
}

Db::~Db() {
  cache_.clear();  // statements must be finalized before the connection can close
  sqlite3_close(db_);
}

Status Db::Exec(std::string_view sql) {
  std::string owned(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  std::string head = owned.substr(0, 80);
  return SqliteError(db_, rc, fmt::format("{} in: {}", msg, head));
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, std::string(sql));
  return Stmt(db_, stmt);
}

Result<Stmt*> Db::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  FH_ASSIGN_OR_RETURN(Stmt stmt, Prepare(sql));
  auto owned = std::make_unique<Stmt>(std::move(stmt));
  Stmt* raw = owned.get();
  cache_.emplace(std::string(sql), std::move(owned));
  return raw;
}

Result<bool> Db::CheckpointWal(bool passive, int wait_ms) {
  // The wait is this call's own: the connection's busy timeout is put back after.
  sqlite3_busy_timeout(db_, wait_ms);
  int log_frames = 0, checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(
      db_, nullptr, passive ? SQLITE_CHECKPOINT_PASSIVE : SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
      &checkpointed);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return false;
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "wal_checkpoint " + path_.string());
  return passive ? log_frames == checkpointed : true;
}

int64_t Db::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}
int Db::Changes() const {
  return sqlite3_changes(db_);
}

Result<Transaction> Transaction::Begin(Db& db) {
  FH_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->Exec("ROLLBACK");  // best effort: the error that got us here matters more
}

Status Transaction::Commit() {
  Db* db = db_;
  db_ = nullptr;
  Status s = db->Exec("COMMIT");
  if (!s.ok()) (void)db->Exec("ROLLBACK");  // a failed COMMIT can leave the transaction open
  return s;
}

Result<int> SchemaVersion(Db& db) {
  FH_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations("
              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  FH_ASSIGN_OR_RETURN(Stmt stmt,
                      db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

Status Migrate(Db& db, std::span<const Migration> migrations) {
  FH_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return FailedPrecondition(
        "{}: schema version {} is newer than this factoryhub understands ({}); upgrade "
        "factoryhub",
        db.path().string(), current, newest);
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    const std::string what = fmt::format("migration {} ({})", m.version, m.name);
    // Outside a transaction: inside one the pragma does nothing.
    if (m.rebuilds_referenced_table) FH_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=OFF"));
    Status applied = [&]() -> Status {
      FH_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
      Status s = db.Exec(m.sql);
      if (!s.ok()) return s.WithContext(what);
      if (m.rebuilds_referenced_table) {
        FH_ASSIGN_OR_RETURN(Stmt check, db.Prepare("PRAGMA foreign_key_check"));
        FH_ASSIGN_OR_RETURN(bool violation, check.Step());
        if (violation) {
          return Internal("{}: a foreign key no longer holds in table {}", what, check.Text(0));
        }
      }
      FH_ASSIGN_OR_RETURN(
          Stmt ins, db.Prepare("INSERT INTO schema_migrations(version, name, "
                               "applied_at) VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))"));
      FH_RETURN_IF_ERROR(ins.Bind(1, int64_t{m.version}).Bind(2, m.name).Run());
      return txn.Commit();
    }();
    if (m.rebuilds_referenced_table) {
      const Status on = db.Exec("PRAGMA foreign_keys=ON");
      if (applied.ok() && !on.ok()) return on;
    }
    FH_RETURN_IF_ERROR(applied);
  }
  return Status();
}

}  // namespace fh::sqlite
