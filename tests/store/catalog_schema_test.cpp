// Migration 0002: it applies, it is applied once, and its CHECK constraints accept exactly
// the enum names of src/model/.
#include <string>
#include <vector>

#include "model/asset.h"
#include "model/entity.h"
#include "model/equipment_state.h"
#include "model/lot.h"
#include "model/material.h"
#include "model/order.h"
#include "model/quality.h"
#include "model/tag_meta.h"
#include "store/catalog_fixture.h"
#include "store/sqlite/migrations.h"

namespace fh::testing {
namespace {

using CatalogSchemaTest = CatalogTest;

std::vector<std::string> ColumnsOf(sqlite::Db& db, std::string_view table) {
  std::vector<std::string> cols;
  auto st = db.Prepare(fmt::format("SELECT name FROM pragma_table_info('{}')", table));
  EXPECT_OK(st);
  if (!st.ok()) return cols;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) break;
    cols.emplace_back(st->Text(0));
  }
  return cols;
}

TEST_F(CatalogSchemaTest, FreshDatabaseHasEveryEntityTableWithLineage) {
  Result<int> version = sqlite::SchemaVersion(db());
  ASSERT_OK(version);
  EXPECT_EQ(*version, static_cast<int>(sqlite::HubMigrations().size()));
  const std::vector<std::string> lineage = {"source_system", "source_object", "source_line",
                                            "mapping_version", "batch_id"};
  for (const auto& entity : kEntityKindNames) {
    std::vector<std::string> cols = ColumnsOf(db(), entity.name);
    ASSERT_GE(cols.size(), 6u) << entity.name << " is missing";
    EXPECT_EQ(cols.front(), "id") << entity.name;
    EXPECT_EQ(std::vector<std::string>(cols.end() - 5, cols.end()), lineage) << entity.name;
  }
  EXPECT_FALSE(ColumnsOf(db(), "ingest_batch").empty());
  EXPECT_FALSE(ColumnsOf(db(), "crosswalk").empty());
  EXPECT_FALSE(ColumnsOf(db(), "batch_series").empty());
  EXPECT_FALSE(ColumnsOf(db(), "model").empty());
  EXPECT_FALSE(ColumnsOf(db(), "alarm").empty());
  // Migration 0001's tables are still there and the tag table kept its first columns.
  std::vector<std::string> tag = ColumnsOf(db(), "tag");
  ASSERT_GE(tag.size(), 3u);
  EXPECT_EQ(tag[1], "name");
  EXPECT_FALSE(ColumnsOf(db(), "sample_chunk").empty());
}

TEST_F(CatalogSchemaTest, ReopeningAppliesNothingAndKeepsData) {
  ASSERT_OK(catalog().UpsertMaterial({.code = "M-100", .name = "steel"}));
  ASSERT_NO_FATAL_FAILURE(Open());  // migrates again
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(sqlite::HubMigrations().size()));
  ASSERT_OK_AND_ASSIGN(Material m, catalog().FindMaterial("M-100"));
  EXPECT_EQ(m.name, "steel");
}

// A 0001-era database whose time-series store already created tags gains the metadata
// columns with their defaults.
TEST(CatalogSchemaUpgradeTest, TagsFromMigration0001KeepTheirIdsAndGetDefaults) {
  TempDir dir;
  auto db = sqlite::Db::Open(dir / "hub.db", {.create = true});
  ASSERT_OK(db);
  auto all = sqlite::HubMigrations();
  ASSERT_OK(sqlite::Migrate(**db, all.first(1)));
  ASSERT_OK((*db)->Exec("INSERT INTO tag(name) VALUES('line-1.speed')"));
  ASSERT_OK(sqlite::Migrate(**db, all));
  Catalog catalog(**db);
  ASSERT_OK_AND_ASSIGN(TagMeta tag, catalog.FindTag("line-1.speed"));
  EXPECT_EQ(tag.id, 1);
  EXPECT_EQ(tag.data_type, TagDataType::kDouble);
  EXPECT_FALSE(tag.equipment_id.has_value());
  EXPECT_EQ(tag.lineage, Lineage{});
}

template <typename E, size_t N>
std::vector<std::string> Names(const EnumNames<E, N>& names) {
  std::vector<std::string> out;
  for (const auto& n : names)
    out.emplace_back(n.name);
  return out;
}

struct CheckCase {
  std::string column;
  std::vector<std::string> names;  // every one must be accepted
  std::string insert;              // inserts one row with ?1 as the enum value
};

// The enum CHECK constraints and the C++ name tables must agree, or values would be
// rejected on write or unreadable on read.
TEST_F(CatalogSchemaTest, EnumChecksAcceptExactlyTheModelNames) {
  ASSERT_OK(
      db().Exec("INSERT INTO asset(id, level, name, path) VALUES(1, 'enterprise', 'acme', 'acme');"
                "INSERT INTO material(id, code, name, kind) VALUES(1, 'M-1', 'steel', 'raw');"
                "INSERT INTO customer(id, code, name) VALUES(1, 'C-1', 'Contoso');"));
  const std::vector<CheckCase> cases = {
      {"asset.level", Names(kAssetLevelNames),
       "INSERT INTO asset(parent_id, level, name, path) VALUES(CASE WHEN ?1 = 'enterprise' "
       "THEN NULL ELSE 1 END, ?1, 'x' || ?1, 'x/' || ?1)"},
      {"tag.data_type", Names(kTagDataTypeNames),
       "INSERT INTO tag(name, data_type) VALUES('t-' || ?1, ?1)"},
      {"equipment_state_event.state", Names(kEquipmentStateNames),
       "INSERT INTO equipment_state_event(equipment_id, state, start_ts) "
       "VALUES(1, ?1, (SELECT COUNT(*) FROM equipment_state_event))"},
      {"material.kind", Names(kMaterialKindNames),
       "INSERT INTO material(code, name, kind) VALUES('m-' || ?1, 'x', ?1)"},
      {"sales_order.status", Names(kSalesOrderStatusNames),
       "INSERT INTO sales_order(number, customer_id, status) VALUES('so-' || ?1, 1, ?1)"},
      {"work_order.status", Names(kWorkOrderStatusNames),
       "INSERT INTO work_order(number, material_id, status, planned_qty) "
       "VALUES('wo-' || ?1, 1, ?1, 1)"},
      {"inspection.result", Names(kInspectionResultNames),
       "INSERT INTO inspection(characteristic, inspected_at, result) VALUES('c-' || ?1, 0, ?1)"},
      {"lot.status", Names(kLotStatusNames),
       "INSERT INTO lot(material_id, number, status) VALUES(1, 'l-' || ?1, ?1)"},
      {"ingest_batch.status", Names(kIngestBatchStatusNames),
       "INSERT INTO ingest_batch(source_system, source_object, status, started_at) "
       "VALUES('erp', 'f-' || ?1, ?1, 0)"},
      {"crosswalk.entity", Names(kEntityKindNames),
       "INSERT INTO crosswalk(entity, canonical_id, source_system, external_id) "
       "VALUES(?1, 1, 'erp', 'x-' || ?1)"},
  };
  for (const CheckCase& c : cases) {
    auto st = db().Prepare(c.insert);
    ASSERT_OK(st) << c.column << ": " << st.status().ToString();
    for (const std::string& name : c.names) {
      st->Bind(1, std::string_view(name));
      Status s = st->Run();
      EXPECT_OK(s) << c.column << " rejects '" << name << "': " << s.ToString();
    }
    st->Bind(1, std::string_view("bogus"));
    Status s = st->Run();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.column << " accepts 'bogus'";
    EXPECT_NE(s.message().find("CHECK constraint failed"), std::string::npos) << s.message();
  }
}

struct ConstraintCase {
  std::string what;
  std::string sql;
  std::string error;  // a part of SQLite's message
};

TEST_F(CatalogSchemaTest, ConstraintsRejectBadRows) {
  ASSERT_OK(
      db().Exec("INSERT INTO asset(id, level, name, path) VALUES(1, 'enterprise', 'acme', 'acme');"
                "INSERT INTO material(id, code, name, kind) VALUES(1, 'M-1', 'steel', 'raw');"
                "INSERT INTO lot(id, material_id, number) VALUES(1, 1, 'L-1');"));
  const std::vector<ConstraintCase> cases = {
      {"site without parent", "INSERT INTO asset(level, name, path) VALUES('site', 's', 's')",
       "CHECK"},
      {"enterprise with parent",
       "INSERT INTO asset(parent_id, level, name, path) VALUES(1, 'enterprise', 'e', 'acme/e')",
       "CHECK"},
      {"slash in asset name",
       "INSERT INTO asset(parent_id, level, name, path) VALUES(1, 'site', 'a/b', 'acme/a/b')",
       "CHECK"},
      {"unknown parent asset",
       "INSERT INTO asset(parent_id, level, name, path) VALUES(99, 'site', 's', 'acme/s')",
       "FOREIGN KEY"},
      {"empty material code", "INSERT INTO material(code, name, kind) VALUES('', 'x', 'raw')",
       "CHECK"},
      {"duplicate material code",
       "INSERT INTO material(code, name, kind) VALUES('M-1', 'x', 'raw')", "UNIQUE"},
      {"text in a REAL column (STRICT)",
       "INSERT INTO work_order(number, material_id, planned_qty) VALUES('W', 1, 'many')",
       "cannot store TEXT value in REAL column"},
      {"negative scrap",
       "INSERT INTO work_order(number, material_id, planned_qty, scrap_qty) VALUES('W', 1, 1, -1)",
       "CHECK"},
      {"zero ideal cycle time",
       "INSERT INTO work_order(number, material_id, planned_qty, ideal_cycle_time_s) "
       "VALUES('W', 1, 1, 0)",
       "CHECK"},
      {"state ending before it starts",
       "INSERT INTO equipment_state_event(equipment_id, state, start_ts, end_ts) "
       "VALUES(1, 'down', 10, 5)",
       "CHECK"},
      {"lot linked to itself", "INSERT INTO lot_link(input_lot_id, output_lot_id) VALUES(1, 1)",
       "CHECK"},
      {"spec limits reversed",
       "INSERT INTO inspection(characteristic, inspected_at, result, lsl, usl) "
       "VALUES('d', 0, 'pass', 2, 1)",
       "CHECK"},
      {"tag limits reversed", "INSERT INTO tag(name, lo_limit, hi_limit) VALUES('t', 10, 0)",
       "CHECK"},
      {"completed batch that loses records",
       "INSERT INTO ingest_batch(source_system, source_object, status, started_at, "
       "records_read, accepted, quarantined) VALUES('erp', 'f', 'completed', 0, 10, 8, 1)",
       "CHECK"},
      {"lineage naming a missing batch",
       "INSERT INTO material(code, name, kind, batch_id) VALUES('M-2', 'x', 'raw', 42)",
       "FOREIGN KEY"},
  };
  for (const ConstraintCase& c : cases) {
    Status s = db().Exec(c.sql);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.error), std::string::npos) << c.what << ": " << s.message();
  }
}

}  // namespace
}  // namespace fh::testing
