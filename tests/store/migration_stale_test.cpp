// Migration 0015 rebuilds ingest_batch (a table others refer to) to count stale records:
// every batch keeps its id and counters, the rows referring to batches still do, foreign
// keys are enforced again afterwards, and a completed batch's counters add up with stale.
#include <gtest/gtest.h>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::sqlite {
namespace {

TEST(MigrationStaleTest, RebuildsIngestBatchKeepingEveryReference) {
  testing::TempDir dir;
  Result<std::unique_ptr<Db>> db = Db::Open(dir.path() / "hub.db", {.create = true});
  ASSERT_OK(db);
  ASSERT_TRUE(Migrate(**db, HubMigrations().first(14)).ok());
  ASSERT_TRUE((*db)
                  ->Exec("INSERT INTO ingest_batch(id, source_system, source_object, status, "
                         "started_at, finished_at, records_read, accepted, quarantined, "
                         "duplicates, mapping_name, entity, warnings) VALUES(7, 'erp', 'm.csv', "
                         "'completed', 1, 2, 5, 3, 1, 1, 'erp-materials', 'material', 2);"
                         "INSERT INTO ingest_batch(id, source_system, source_object, started_at, "
                         "replay_of) VALUES(8, 'erp', 'quarantine', 3, 7);"
                         "INSERT INTO material(code, name, kind, batch_id) "
                         "VALUES('M-1', 'Flange', 'raw', 7);"
                         "INSERT INTO quarantine(batch_id, mapping_name, entity, source_system, "
                         "source_object, columns, fields, raw, raw_digest, reasons, created_at) "
                         "VALUES(7, 'erp-materials', 'material', 'erp', 'm.csv', '[]', '[]', "
                         "'x', 'd', '[]', 1);")
                  .ok());

  ASSERT_TRUE(Migrate(**db, HubMigrations()).ok());
  Result<Stmt> st = (*db)->Prepare(
      "SELECT records_read, accepted, quarantined, duplicates, stale, mapping_name, warnings "
      "FROM ingest_batch WHERE id = 7");
  ASSERT_OK(st);
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Int(0), 5);
  EXPECT_EQ(st->Int(4), 0);
  EXPECT_EQ(st->Text(5), "erp-materials");
  EXPECT_EQ(st->Int(6), 2);
  Result<Stmt> check = (*db)->Prepare("PRAGMA foreign_key_check");
  ASSERT_OK(check);
  EXPECT_FALSE(*check->Step());  // every reference still holds
  // Foreign keys are on again: a row naming a batch that does not exist is refused.
  EXPECT_FALSE((*db)
                   ->Exec("INSERT INTO material(code, name, kind, batch_id) "
                          "VALUES('M-2', 'Bar', 'raw', 999)")
                   .ok());
  // The new counter takes part in the completed batch's sum.
  EXPECT_TRUE((*db)
                  ->Exec("UPDATE ingest_batch SET status = 'completed', records_read = 4, "
                         "accepted = 1, quarantined = 1, duplicates = 1, stale = 1, "
                         "finished_at = 4 WHERE id = 8")
                  .ok());
  EXPECT_FALSE((*db)->Exec("UPDATE ingest_batch SET stale = 2 WHERE id = 8").ok());
}

}  // namespace
}  // namespace fh::sqlite
