// Helpers shared by the catalog_*.cpp files: statement guards, binding and reading rows,
// savepoints. Not part of the store's interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/lineage.h"
#include "store/sqlite/db.h"

// The five lineage columns every entity table ends with (model/lineage.h), for building
// SQL text by literal concatenation.
#define FH_LINEAGE_COLUMNS "source_system, source_object, source_line, mapping_version, batch_id"
#define FH_LINEAGE_PARAMS "?, ?, ?, ?, ?"
#define FH_LINEAGE_UPDATE                                                            \
  "source_system = excluded.source_system, source_object = excluded.source_object, " \
  "source_line = excluded.source_line, mapping_version = excluded.mapping_version, " \
  "batch_id = excluded.batch_id"

namespace fh::catalog_internal {

struct CachedStmt {
  sqlite::Stmt stmt;
  bool busy = false;
};

// Holds a cached statement for the length of one use; resets it when destroyed.
class ScopedStmt {
 public:
  explicit ScopedStmt(CachedStmt* c) : c_(c) { c_->busy = true; }
  ScopedStmt(ScopedStmt&& other) noexcept : c_(std::exchange(other.c_, nullptr)) {}
  ScopedStmt& operator=(ScopedStmt&&) = delete;
  ~ScopedStmt() {
    if (c_ == nullptr) return;
    c_->stmt.Reset();
    c_->busy = false;
  }
  sqlite::Stmt& operator*() const { return c_->stmt; }
  sqlite::Stmt* operator->() const { return &c_->stmt; }

 private:
  CachedStmt* c_;
};

// Binding: BindAll(stmt, a, b, c) binds ?1, ?2, ?3. Empty optionals bind NULL; a Lineage
// binds its five columns, empty texts as NULL.
inline void BindValue(sqlite::Stmt& s, int& i, int64_t v) {
  s.Bind(i++, v);
}
inline void BindValue(sqlite::Stmt& s, int& i, double v) {
  s.Bind(i++, v);
}
inline void BindValue(sqlite::Stmt& s, int& i, bool v) {
  s.Bind(i++, int64_t{v ? 1 : 0});
}
inline void BindValue(sqlite::Stmt& s, int& i, std::string_view v) {
  s.Bind(i++, v);
}
inline void BindValue(sqlite::Stmt& s, int& i, const std::string& v) {
  s.Bind(i++, std::string_view(v));
}
inline void BindValue(sqlite::Stmt& s, int& i, const char* v) {
  s.Bind(i++, std::string_view(v));
}
inline void BindValue(sqlite::Stmt& s, int& i, const std::optional<int64_t>& v) {
  s.Bind(i++, v);
}
inline void BindValue(sqlite::Stmt& s, int& i, const std::optional<double>& v) {
  s.Bind(i++, v);
}
inline void BindValue(sqlite::Stmt& s, int& i, const std::optional<std::string>& v) {
  if (v) {
    s.Bind(i++, std::string_view(*v));
  } else {
    s.BindNull(i++);
  }
}
void BindValue(sqlite::Stmt& s, int& i, const Lineage& v);

template <typename... Args>
void BindAll(sqlite::Stmt& s, const Args&... args) {
  int i = 1;
  (BindValue(s, i, args), ...);
}

// Reads the columns of the current row left to right.
class Row {
 public:
  explicit Row(const sqlite::Stmt& s) : s_(s) {}
  int64_t Int() { return s_.Int(i_++); }
  double Double() { return s_.Double(i_++); }
  bool Bool() { return s_.Int(i_++) != 0; }
  std::string Text() { return std::string(s_.Text(i_++)); }
  std::string_view TextView() { return s_.Text(i_++); }  // valid until the next step
  std::optional<int64_t> OptInt() { return s_.OptInt(i_++); }
  std::optional<double> OptDouble() { return s_.OptDouble(i_++); }
  std::optional<std::string> OptText() { return s_.OptText(i_++); }
  Lineage ReadLineage();

 private:
  const sqlite::Stmt& s_;
  int i_ = 0;
};

// Steps an INSERT ... RETURNING id; errors get `what` ("material 'M-100'") as context.
Result<int64_t> ReturningId(sqlite::Stmt& s, std::string_view what);

// Runs a statement without results; errors get `what` as context.
Status RunStmt(sqlite::Stmt& s, std::string_view what);

// The one row of a query, read by `read` (Result<T> read(Row&)); NotFound "`what` not
// found" when there is none.
template <typename ReadFn>
auto ReadOne(sqlite::Stmt& s, ReadFn read, std::string_view what)
    -> decltype(read(std::declval<Row&>())) {
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status().WithContext(what);
  if (!*row) return NotFound("{} not found", what);
  Row r(s);
  return read(r);
}

// Every row of a query, read by `read`.
template <typename ReadFn>
auto ReadAll(sqlite::Stmt& s, ReadFn read, std::string_view what) -> Result<
    std::vector<std::remove_cvref_t<decltype(std::move(read(std::declval<Row&>())).value())>>> {
  using T = std::remove_cvref_t<decltype(std::move(read(std::declval<Row&>())).value())>;
  std::vector<T> out;
  while (true) {
    Result<bool> row = s.Step();
    if (!row.ok()) return row.status().WithContext(what);
    if (!*row) break;
    Row r(s);
    Result<T> item = read(r);
    if (!item.ok()) return item.status().WithContext(what);
    out.push_back(std::move(item).value());
  }
  return out;
}

// Parses an enum column; a bad stored name means the database was altered behind our back.
template <typename E>
Result<E> ReadEnum(Row& r, Result<E> (*parse)(std::string_view)) {
  const std::string_view text = r.TextView();
  Result<E> v = parse(text);
  if (!v.ok()) return Corruption("stored value: {}", v.status().message());
  return v;
}

// SAVEPOINT ... RELEASE: nests inside an open transaction or stands alone. Rolls back to
// the savepoint on destruction unless released.
class Savepoint {
 public:
  static Result<Savepoint> Begin(sqlite::Db& db);
  Savepoint(Savepoint&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();
  Status Release();

 private:
  explicit Savepoint(sqlite::Db* db) : db_(db) {}
  sqlite::Db* db_;
};

}  // namespace fh::catalog_internal
