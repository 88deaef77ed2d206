// A thin RAII wrapper over SQLite's C API that turns result codes into Status.
// No exceptions cross the C API; every failure says which statement failed and why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "common/string_map.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fh::sqlite {

// A prepared statement. Bind indexes are 1-based, column indexes 0-based (as in SQLite).
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  Stmt& Bind(int index, int64_t v);
  Stmt& Bind(int index, double v);
  Stmt& Bind(int index, std::string_view text);
  // Binds without copying: `text` must stay valid and unchanged until Reset(). For hot
  // loops, where the copy is a malloc and a free per value.
  Stmt& BindStatic(int index, std::string_view text);
  Stmt& BindBlob(int index, std::span<const uint8_t> blob);
  Stmt& BindBlob(int index, std::string_view blob);
  Stmt& BindNull(int index);
  Stmt& Bind(int index, std::optional<int64_t> v) { return v ? Bind(index, *v) : BindNull(index); }
  Stmt& Bind(int index, std::optional<double> v) { return v ? Bind(index, *v) : BindNull(index); }

  // True while a row is available; false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows (or ignores them), then resets it.
  Status Run();
  void Reset();  // resets and clears bindings, ready for reuse

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<std::string> OptText(int col) const;

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  Status Error(int rc) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Once a checkpoint has emptied the WAL, the next writer truncates it to this size: a large
// transaction's WAL is not kept for ever.
inline constexpr int64_t kWalSizeLimit = int64_t{16} << 20;

struct OpenOptions {
  bool create = false;  // create the file if missing
  bool read_only = false;
  // PRAGMA synchronous: FULL (default) makes every commit durable against power loss;
  // NORMAL is durable against a process crash or kill -9 only.
  std::string synchronous = "FULL";
  int busy_timeout_ms = 10000;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& path,
                                          const OpenOptions& options);
  // Opens an existing database to read it, writing nothing at all: for reading a hub on a
  // full disk, or one whose files or folder are read-only. A read-only connection still
  // needs the WAL's index (-shm) to read a WAL; SQLite creates it if missing, or keeps it in
  // memory if the file is there but cannot be written. When even that fails and there is
  // no WAL to read (missing or empty), the database is opened `immutable` (no locks, no
  // WAL); when a WAL with content cannot be read the error says so.
  static Result<std::unique_ptr<Db>> OpenReadOnly(const std::filesystem::path& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Executes one or more statements without results.
  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // A statement prepared once per connection and reused: for hot queries. The pointer
  // stays valid for the life of the Db; the statement comes back reset.
  Result<Stmt*> Cached(std::string_view sql);
  // Copies the WAL into the database and, unless `passive`, truncates it to zero bytes:
  // waiting at most `wait_ms` for readers of older snapshots to finish (a passive one
  // waits for nobody and copies what it can). Returns whether the WAL was emptied.
  Result<bool> CheckpointWal(bool passive, int wait_ms);
  int64_t LastInsertRowId() const;
  int Changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* raw() const { return db_; }

 private:
  Db(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  int busy_timeout_ms_ = 0;
  StringMap<std::unique_ptr<Stmt>> cache_;  // by SQL text: a hit allocates nothing
};

// BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

// A schema change. Versions are applied in ascending order, each exactly once, each in its
// own transaction; the applied versions are recorded in table schema_migrations.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // The migration rebuilds a table other tables refer to (to change a CHECK): it runs with
  // foreign keys off, as SQLite's 12-step ALTER procedure says, and fails unless
  // PRAGMA foreign_key_check finds nothing before it commits.
  bool rebuilds_referenced_table = false;
};

// Applies the migrations newer than the database's version. Fails (and changes nothing)
// if the database was written by a newer factoryhub than this one.
Status Migrate(Db& db, std::span<const Migration> migrations);
Result<int> SchemaVersion(Db& db);

}  // namespace fh::sqlite
