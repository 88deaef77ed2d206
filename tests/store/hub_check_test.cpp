// factoryhub check's engine: a sound hub passes; a damaged chunk, a damaged write log
// entry and dangling references are each found and named (table, row, tag, chunk).
#include "store/hub_check.h"

#include <gtest/gtest.h>

#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

class HubCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HubConfig config;
    config.storage.chunk_points = 64;
    config.storage.buffer_points = 16;
    ASSERT_TRUE(Hub::Init(hub_dir(), config).ok());
    auto hub = Hub::Open(hub_dir());
    ASSERT_OK(hub);
    SampleBatch large;  // straight to chunks
    for (int i = 0; i < 70'000; ++i)
      large.Add(i % 2 ? "line1/temp" : "line1/speed", i, i * 0.5);
    ASSERT_TRUE((*hub)->storage().Write(large).ok());
    SampleBatch small;  // the write log
    small.Add("line1/temp", 100'000, 1.5);
    ASSERT_TRUE((*hub)->storage().Write(small).ok());
  }
  std::filesystem::path hub_dir() const { return dir_ / "hub"; }

  // Changes the database behind the store's back, references unchecked.
  void Tamper(const std::string& sql) {
    auto db = sqlite::Db::Open(hub_dir() / kHubDbFile, {});
    ASSERT_OK(db);
    Status s = (*db)->Exec("PRAGMA foreign_keys=OFF; " + sql);
    ASSERT_OK(s);
  }

  CheckReport Check() {
    auto report = CheckHub(hub_dir(), {});
    EXPECT_OK(report);
    return report.ok() ? *report : CheckReport{};
  }

  static std::string Describe(const CheckReport& report) {
    std::string s;
    for (const CheckProblem& p : report.problems)
      s += p.check + ": " + p.where + ": " + p.what + "\n";
    return s;
  }

  TempDir dir_;
};

TEST_F(HubCheckTest, ASoundHubPasses) {
  const CheckReport report = Check();
  EXPECT_TRUE(report.ok()) << Describe(report);
  EXPECT_GT(report.chunks, 100);
  EXPECT_EQ(report.log_entries, 1);
}

TEST_F(HubCheckTest, ACorruptedChunkIsNamedWithItsTag) {
  // One chunk's timestamps section overwritten (the header stays readable).
  Tamper(
      "UPDATE sample_chunk SET data = substr(data, 1, 20) || zeroblob(length(data) - 20) "
      "WHERE id = (SELECT MIN(c.id) FROM sample_chunk c JOIN tag t ON t.id = c.tag_id "
      "WHERE t.name = 'line1/temp')");
  const CheckReport report = Check();
  ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
  EXPECT_EQ(report.problems[0].check, "chunks");
  EXPECT_NE(report.problems[0].where.find("tag 'line1/temp', chunk "), std::string::npos)
      << report.problems[0].where;
}

TEST_F(HubCheckTest, AChunkWhoseValuesDisagreeWithItsRowIsFound) {
  Tamper("UPDATE sample_chunk SET v_max = v_max + 1 WHERE id = 3");
  const CheckReport report = Check();
  ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
  EXPECT_NE(report.problems[0].where.find("chunk 3 "), std::string::npos);
  EXPECT_NE(report.problems[0].what.find("min"), std::string::npos);
}

TEST_F(HubCheckTest, ADamagedWriteLogEntryIsFound) {
  Tamper("UPDATE sample_log SET data = x'00010203'");
  const CheckReport report = Check();
  ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
  EXPECT_EQ(report.problems[0].check, "write log");
  EXPECT_NE(report.problems[0].where.find("write log entry"), std::string::npos);
}

TEST_F(HubCheckTest, DanglingReferencesAreNamed) {
  Tamper(
      "INSERT INTO batch_series(tag_id, batch_id, first_ts, last_ts, samples) "
      "VALUES((SELECT id FROM tag WHERE name = 'line1/temp'), 999, 0, 1, 2);"
      "INSERT INTO crosswalk(entity, canonical_id, source_system, external_id) "
      "VALUES('asset', 4242, 'erp', 'PUMP-7');"
      "INSERT INTO sample_buffer(tag_id, ts, value_bits, quality, seq) VALUES(77, 1, 0, 192, 1)");
  const CheckReport report = Check();
  EXPECT_EQ(report.problems.size(), 3u) << Describe(report);
  const std::string all = Describe(report);
  EXPECT_NE(all.find("table batch_series row (tag_id="), std::string::npos) << all;
  EXPECT_NE(all.find("batch_id refers to a row of ingest_batch that does not exist"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("table crosswalk row 1: canonical_id 4242"), std::string::npos) << all;
  EXPECT_NE(all.find("table sample_buffer row"), std::string::npos) << all;
}

TEST_F(HubCheckTest, NotAHubIsAnError) {
  auto report = CheckHub(dir_ / "nothing", {});
  EXPECT_EQ(report.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace fh::testing
