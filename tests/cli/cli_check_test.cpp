// factoryhub check: exit 0 on a sound hub; exit 7 with each problem named (tag and chunk,
// table and row) on a damaged one; --help like every command.
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"
#include "store/sqlite/db.h"

namespace fh::testing {
namespace {

class CliCheckTest : public CliTest {
 protected:
  void InitWithData() {
    InitHub();
    std::string csv = "timestamp,tag,value\n";
    for (int i = 0; i < 3000; ++i)
      csv += std::to_string(1'700'000'000 + i) + ",press/force," + std::to_string(i) + "\n";
    Ok({"write", "--hub", hub(), "--epoch", "s", WriteFile("points.csv", csv)});
  }
  void Tamper(const std::string& sql) {
    auto db = sqlite::Db::Open(std::filesystem::path(hub()) / "factoryhub.db", {});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Status s = (*db)->Exec("PRAGMA foreign_keys=OFF; " + sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};

TEST_F(CliCheckTest, ASoundHubExitsZero) {
  InitWithData();
  CliResult r = Ok({"check", "--hub", hub()});
  EXPECT_NE(r.out.find("no problem found"), std::string::npos) << r.out;
  const nlohmann::json doc = Json({"check", "--hub", hub(), "--quick"});
  EXPECT_EQ(doc["ok"], true);
  EXPECT_GE(doc["checked"]["chunks"].get<int>(), 1);
  EXPECT_TRUE(doc["problems"].empty());
}

TEST_F(CliCheckTest, ACorruptedChunkFailsNamingTagAndChunk) {
  InitWithData();
  Tamper(
      "UPDATE sample_chunk SET data = zeroblob(length(data)) WHERE id = (SELECT MIN(id) FROM "
      "sample_chunk)");
  CliResult r = RunCli({"check", "--hub", hub()});
  EXPECT_EQ(r.exit_code, 7) << r.out << r.err;
  EXPECT_NE(r.out.find("chunks: tag 'press/force', chunk "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 problem found"), std::string::npos) << r.out;
  r = RunCli({"check", "--hub", hub(), "--json"});
  EXPECT_EQ(r.exit_code, 7);
  const nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["problems"].size(), 1u);
  EXPECT_EQ(doc["problems"][0]["check"], "chunks");
}

TEST_F(CliCheckTest, ADanglingReferenceFailsNamingIt) {
  InitWithData();
  Tamper(
      "INSERT INTO batch_series(tag_id, batch_id, first_ts, last_ts, samples) "
      "VALUES((SELECT id FROM tag WHERE name = 'press/force'), 4711, 0, 1, 2)");
  CliResult r = RunCli({"check", "--hub", hub()});
  EXPECT_EQ(r.exit_code, 7) << r.out << r.err;
  EXPECT_NE(r.out.find("table batch_series row (tag_id=1 batch_id=4711): batch_id refers to a "
                       "row of ingest_batch that does not exist"),
            std::string::npos)
      << r.out;
}

TEST_F(CliCheckTest, HelpAndErrors) {
  CliResult r = RunCli({"check", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--quick"), std::string::npos) << r.out;
  EXPECT_EQ(RunCli({"check", "--hub", (tmp_ / "nothing").string()}).exit_code, 5);
  EXPECT_EQ(RunCli({"check"}).exit_code, 5);
}

}  // namespace
}  // namespace fh::testing
