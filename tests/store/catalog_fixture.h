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
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

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
    ASSERT_OK(sqlite::Migrate(*db_, sqlite::HubMigrations()));
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
