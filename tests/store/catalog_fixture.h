// CatalogTest: a fresh, migrated hub database in a temporary directory and a Catalog on it,
// for the catalog_*_test.cpp files.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "store/catalog/catalog.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "testing/temp_dir.h"

namespace fh::testing {

inline Status StatusOf(const Status& s) {
  return s;
}
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace fh::testing

// Fails the test unless `expr` (a Status or Result) is OK, printing the error.
#define CATALOG_ASSERT_OK(expr)                                                       \
  do {                                                                                \
    ::fh::Status catalog_status_ = ::fh::testing::StatusOf(expr);                     \
    ASSERT_TRUE(catalog_status_.ok()) << #expr << ": " << catalog_status_.ToString(); \
  } while (0)

// CATALOG_ASSERT_OK_AND_ASSIGN(int64_t id, catalog().UpsertMaterial(m));
#define CATALOG_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  CATALOG_ASSERT_OK_AND_ASSIGN_IMPL(FH_CONCAT(catalog_result_, __LINE__), lhs, expr)
#define CATALOG_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)            \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

namespace fh::testing {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  // Opens (creating if needed) and migrates the database, then makes a new Catalog.
  void Open() {
    catalog_.reset();
    db_.reset();
    auto db = sqlite::Db::Open(dir_ / "hub.db", {.create = true});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    CATALOG_ASSERT_OK(sqlite::Migrate(*db_, sqlite::HubMigrations()));
    catalog_ = std::make_unique<Catalog>(*db_);
  }

  Catalog& catalog() { return *catalog_; }
  sqlite::Db& db() { return *db_; }

  // The single integer a query returns (-1 on error, failing the test).
  int64_t QueryInt(const std::string& sql) {
    auto st = db_->Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok()) return -1;
    auto row = st->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    if (!row.ok() || !*row) return -1;
    return st->Int(0);
  }

  TempDir dir_;
  std::unique_ptr<sqlite::Db> db_;
  std::unique_ptr<Catalog> catalog_;  // destroyed before db_ (reverse declaration order)
};

}  // namespace fh::testing
