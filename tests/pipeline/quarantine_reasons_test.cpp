// A reason is stored once however many records it rejects (migration 10), every record still
// reads back its own reasons, and a hub whose quarantine predates the migration reads as
// before.
#include <gtest/gtest.h>

#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::pipeline {
namespace {

class QuarantineReasonsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open("hub.db", sqlite::HubMigrations().size()); }

  // A database of its own, at `migrations`.
  void Open(const std::string& name, size_t migrations) {
    Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(dir_.path() / name, {.create = true});
    ASSERT_OK(db);
    db_ = std::move(*db);
    ASSERT_TRUE(sqlite::Migrate(*db_, sqlite::HubMigrations().first(migrations)).ok());
    IngestBatch b;
    b.source_system = "http";
    b.source_object = "/write";
    Result<int64_t> batch = Catalog(*db_).BeginBatch(b);
    ASSERT_OK(batch);
    batch_ = *batch;
  }

  int64_t Count(const char* sql) {
    Result<sqlite::Stmt> st = db_->Prepare(sql);
    EXPECT_OK(st);
    Result<bool> row = st->Step();
    EXPECT_TRUE(row.ok() && *row);
    return st->Int(0);
  }

  QuarantinedRecord Record(const std::string& raw, const std::string& message) {
    QuarantinedRecord q;
    q.batch_id = batch_;
    q.mapping_name = "line-protocol";
    q.entity = "sample";
    q.source_system = "http";
    q.source_object = "/write";
    q.raw = raw;
    q.reasons = {govern::Violation{govern::CheckKind::kSchema, govern::Severity::kReject,
                                   "line-protocol", "", "", message}};
    return q;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::Db> db_;
  int64_t batch_ = 0;
};

TEST_F(QuarantineReasonsTest, OneReasonIsStoredOnceAndReadByEveryRecord) {
  GovernanceStore gov(*db_);
  for (const char* raw : {"a x=y", "b x=y", "c x=y"})
    ASSERT_TRUE(gov.Quarantine(Record(raw, "field 'x': 'y' is not a number")).ok());
  ASSERT_TRUE(gov.Quarantine(Record("d x=z", "field 'x': 'z' is not a number")).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine_reasons"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine WHERE reasons = ''"), 4);

  QuarantineFilter all;
  Result<std::vector<QuarantinedRecord>> records = gov.ListQuarantine(all);
  ASSERT_OK(records);
  ASSERT_EQ(records->size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ((*records)[i].reasons.size(), 1u);
    EXPECT_EQ((*records)[i].reasons[0].message, "field 'x': 'y' is not a number");
    EXPECT_EQ((*records)[i].reasons[0].rule, "line-protocol");
  }
  EXPECT_EQ((*records)[3].reasons[0].message, "field 'x': 'z' is not a number");
}

TEST_F(QuarantineReasonsTest, RecordsQuarantinedBeforeMigration10ReadAsBefore) {
  Open("old.db", 9);
  ASSERT_TRUE(
      db_->Exec(fmt::format("INSERT INTO quarantine(batch_id, mapping_name, entity, source_system, "
                            "source_object, columns, fields, raw, raw_digest, reasons, created_at) "
                            "VALUES({}, 'm', 'sample', 'mes', 'f.csv', '[]', '[]', 'r', 'd', "
                            "'[{{\"check\":\"range\",\"rule\":\"r1\",\"severity\":\"reject\","
                            "\"field\":\"value\",\"value\":\"120\",\"message\":\"too hot\"}}]', 1)",
                            batch_))
          .ok());
  ASSERT_TRUE(sqlite::Migrate(*db_, sqlite::HubMigrations()).ok());
  Result<QuarantinedRecord> q = GovernanceStore(*db_).GetQuarantined(1);
  ASSERT_OK(q);
  ASSERT_EQ(q->reasons.size(), 1u);
  EXPECT_EQ(q->reasons[0].rule, "r1");
  EXPECT_EQ(q->reasons[0].field, "value");
  EXPECT_EQ(q->reasons[0].value, "120");
  EXPECT_EQ(q->reasons[0].message, "too hot");
}

}  // namespace
}  // namespace fh::pipeline
