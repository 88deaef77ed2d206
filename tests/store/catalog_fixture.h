// CatalogTest: a fresh hub (HubTest) and a catalog session on it, for the catalog_*_test.cpp
// files; db() is the session's connection, for the checks of the SQLite back end itself.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/status.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/sqlite/db.h"
#include "testing/catalog_access.h"
#include "testing/hub_test.h"
#include "testing/status_matchers.h"

namespace fh::testing {

class CatalogTest : public HubTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(HubTest::SetUp());
    session_.emplace(hub_->OpenCatalog());
  }
  void TearDown() override { session_.reset(); }

  // Closes the hub and opens it again (migrating its database again), with a new session.
  void Open() {
    session_.reset();
    hub_.reset();
    Result<std::unique_ptr<Hub>> h = Hub::Open(tmp_.path() / "hub");
    ASSERT_OK(h);
    hub_ = std::move(h).value();
    session_.emplace(hub_->OpenCatalog());
  }

  Catalog& catalog() { return session_->catalog(); }
  sqlite::Db& db() { return CatalogSessionTestAccess::Connection(*session_); }

  // The single integer a query returns (-1 on error, failing the test).
  int64_t QueryInt(const std::string& sql) {
    auto st = db().Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok()) return -1;
    auto row = st->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    if (!row.ok() || !*row) return -1;
    return st->Int(0);
  }

  std::optional<CatalogSession> session_;  // before hub_ goes: TearDown
};

}  // namespace fh::testing
