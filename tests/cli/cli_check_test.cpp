// factoryhub check: exit 0 on a sound hub; exit 7 with each problem named (tag and chunk,
// table and row) on a damaged one; --help like every command.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cstring>
#include <fstream>

#include "cli/cli_fixture.h"
#include "store/sqlite/db.h"
#include "testing/status_matchers.h"

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
    ASSERT_OK(db);
    Status s = (*db)->Exec("PRAGMA foreign_keys=OFF; " + sql);
    ASSERT_OK(s);
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

// On a full disk (a small tmpfs, mounted as root; skipped without), the commands that read
// work, and compact either makes room or says the disk is too full; with room, it works.
TEST_F(CliCheckTest, OnAFullDiskReadingCommandsWork) {
  const std::filesystem::path disk = tmp_ / "disk";
  std::filesystem::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=8m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs at " << disk << " (" << strerror(errno)
                 << "): this test needs root";
  }
  struct Unmount {
    std::filesystem::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{disk};
  const std::string hub_dir = (disk / "hub").string();
  Ok({"init", hub_dir});
  std::string csv = "timestamp,tag,value\n";
  for (int i = 0; i < 3000; ++i)
    csv += std::to_string(1'700'000'000 + i) + ",press/force," + std::to_string(i % 97) + "\n";
  Ok({"write", "--hub", hub_dir, "--epoch", "s", WriteFile("points.csv", csv)});
  {
    std::ofstream filler(disk / "filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (filler.write(block.data(), block.size())) {
    }
  }
  EXPECT_EQ(Json({"info", "--hub", hub_dir})["samples"], 3000);
  EXPECT_EQ(Json({"tags", "--hub", hub_dir})["tags"][0]["samples"], 3000);
  EXPECT_EQ(Json({"query", "--hub", hub_dir, "--tag", "press/force"})["series"][0]["points"].size(),
            3000u);
  Ok({"check", "--hub", hub_dir});
  // Here SQLite cannot even make the WAL index it needs to write: the hub opens read-only
  // and compact says why it cannot run.
  CliResult r = RunCli({"compact", "--hub", hub_dir});
  if (r.exit_code != 0) {
    EXPECT_TRUE(r.err.find("too full to compact") != std::string::npos ||
                r.err.find("full?") != std::string::npos)
        << r.err;
  }
  std::filesystem::remove(disk / "filler");
  Ok({"compact", "--hub", hub_dir});
  EXPECT_EQ(Json({"info", "--hub", hub_dir})["samples"], 3000);
}

}  // namespace
}  // namespace fh::testing
