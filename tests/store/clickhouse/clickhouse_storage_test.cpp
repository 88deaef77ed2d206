// The ClickHouse back end beyond the conformance suite, against a real clickhouse-server:
// what a store without transactions must do to keep Storage's promises (a commit cut off
// half-way, a point stored twice by racing writers, stale stages), names that bend SQL,
// sites sharing tables, and the configuration.
#include "store/clickhouse/clickhouse_storage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time.h"
#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_writer.h"
#include "store/clickhouse/row_binary.h"
#include "store/storage_harness.h"
#include "testing/clickhouse_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::clickhouse {
namespace {

using ::testing::HasSubstr;
using testing::ReadAll;

class ClickHouseStorageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new testing::ClickHouseTestServer(dir_->path() / "clickhouse");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  StorageConfig Config(const std::string& site = "plant") {
    StorageConfig c;
    c.backend = "clickhouse";
    c.clickhouse.url = "http://127.0.0.1:" + std::to_string(server_->http_port());
    c.clickhouse.database = database_;
    c.clickhouse.site = site;
    return c;
  }
  std::unique_ptr<ClickHouseStorage> Open(const std::string& site = "plant") {
    auto s = ClickHouseStorage::Open(Config(site));
    EXPECT_OK(s);
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // A client of the test's database, to do what a crash or another process would.
  HttpClient Raw() {
    Endpoint e;
    e.port = server_->http_port();
    e.database = database_;
    return HttpClient(e);
  }
  std::string Ask(const std::string& sql) {
    HttpClient client = Raw();
    auto answer = client.Query(sql);
    EXPECT_OK(answer);
    return answer.ok() ? *answer : "";
  }
  static SampleBatch Points(const std::string& tag, int n, double offset = 0) {
    SampleBatch b;
    for (int i = 0; i < n; ++i)
      b.Add(tag, 1'767'225'600 * kNanosPerSecond + i * kNanosPerSecond, i + offset);
    return b;
  }
  int64_t Count(Storage& s, const std::string& tag) {
    auto agg = s.Aggregate({.tags = {tag}, .aggs = kAggCount});
    EXPECT_OK(agg);
    return agg.ok() && !(*agg)[0].buckets.empty() ? (*agg)[0].buckets[0].count : 0;
  }
  int64_t Listed(Storage& s, const std::string& tag) {
    auto tags = s.ListTags();
    EXPECT_OK(tags);
    for (const TagInfo& t : *tags) {
      if (t.name == tag) return t.samples;
    }
    return -1;
  }

  static testing::TempDir* dir_;
  static testing::ClickHouseTestServer* server_;
  const std::string database_ =
      "t_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
};

testing::TempDir* ClickHouseStorageTest::dir_ = nullptr;
testing::ClickHouseTestServer* ClickHouseStorageTest::server_ = nullptr;

TEST_F(ClickHouseStorageTest, ACommitCutOffHalfWayIsCompletedOnTheNextOpen) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
  }
  // What a hub killed in the middle of moving a stage leaves: the stage, its commit
  // recorded, and part of its rows already in samples.
  const std::string stage = ClickHouseWriter::StageName("plant", 42);
  SampleRows rows = *EncodeSampleRows(Points("cut", 1000), "plant", 7);
  SampleRows half = *EncodeSampleRows(Points("cut", 500), "plant", 7);
  HttpClient raw = Raw();
  ASSERT_OK(raw.Execute(CreateStageSql(stage)));
  ASSERT_OK(raw.InsertRowBinary(stage, kSampleColumns, rows.row_binary));
  ASSERT_OK(raw.InsertRowBinary(kSamplesTable, kSampleColumns, half.row_binary));
  ASSERT_OK(raw.Execute(
      fmt::format("INSERT INTO {} VALUES ('plant', '{}', 1, 1)", kCommitsTable, stage)));

  auto store = Open();
  ASSERT_TRUE(store);
  std::vector<Sample> all = ReadAll(*store, "cut");
  ASSERT_EQ(all.size(), 1000u);
  EXPECT_EQ(all[999].value, 999.0);
  EXPECT_EQ(Listed(*store, "cut"), 1000);
  EXPECT_EQ(Count(*store, "cut"), 1000);
  EXPECT_EQ(Ask(fmt::format("EXISTS TABLE {}", stage)), "0\n");

  // Compaction merges the rows moved twice, then reads need no FINAL: the same answers.
  ASSERT_OK(store->Compact());
  EXPECT_EQ(Ask(fmt::format("SELECT count() FROM {} WHERE tag = 'cut'", kSamplesTable)), "1000\n");
  EXPECT_EQ(Listed(*store, "cut"), 1000);
  EXPECT_EQ(Count(*store, "cut"), 1000);
}

// Retention's deletion on ClickHouse: the rows are gone from the table itself once it returns
// (the mutation applied), tag_stats' counts are corrected and the cut is recorded; a cut with
// nothing under it submits no mutation.
TEST_F(ClickHouseStorageTest, DeletingWaitsForTheMutationAndCorrectsTheTagCounts) {
  auto store = Open();
  ASSERT_TRUE(store);
  SampleBatch batch;
  for (int i = 0; i < 1000; ++i)
    batch.Add("old", i * kNanosPerSecond, i);
  ASSERT_OK(store->Write(batch));
  ASSERT_OK(store->DeleteBefore({"old"}, 600 * kNanosPerSecond));
  EXPECT_EQ(Ask(fmt::format("SELECT count() FROM {} WHERE tag = 'old'", kSamplesTable)), "400\n");
  EXPECT_EQ(Ask(fmt::format("SELECT sumMerge(points) FROM {} WHERE tag = 'old'", kTagStatsTable)),
            "400\n");
  EXPECT_EQ(Ask(fmt::format("SELECT max(before) FROM {} WHERE tag = 'old'", kFloorsTable)),
            std::to_string(600 * kNanosPerSecond) + "\n");
  EXPECT_EQ(Listed(*store, "old"), 400);
  const std::string mutations =
      Ask("SELECT count() FROM system.mutations WHERE database = currentDatabase()");
  ASSERT_OK(store->DeleteBefore({"old"}, 10 * kNanosPerSecond));  // nothing is that old
  EXPECT_EQ(Ask("SELECT count() FROM system.mutations WHERE database = currentDatabase()"),
            mutations);
}

TEST_F(ClickHouseStorageTest, AStageLeftByADeadWriterIsDroppedAfterADay) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
  }
  const uint64_t now =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  const std::string stale = ClickHouseWriter::StageName("plant", now - 25 * 3600 * kNanosPerSecond);
  const std::string recent = ClickHouseWriter::StageName("plant", now - 3600 * kNanosPerSecond);
  const std::string others =
      ClickHouseWriter::StageName("other", now - 25 * 3600 * kNanosPerSecond);
  HttpClient raw = Raw();
  for (const std::string& s : {stale, recent, others})
    ASSERT_OK(raw.Execute(CreateStageSql(s)));
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(Ask(fmt::format("EXISTS TABLE {}", stale)), "0\n");
  EXPECT_EQ(Ask(fmt::format("EXISTS TABLE {}", recent)), "1\n");  // may still be written
  EXPECT_EQ(Ask(fmt::format("EXISTS TABLE {}", others)), "1\n");  // another site's
}

TEST_F(ClickHouseStorageTest, AWriterDroppedUncommittedLeavesNoStage) {
  auto store = Open();
  ASSERT_TRUE(store);
  {
    auto writer = store->NewWriter();
    ASSERT_OK(writer);
    ASSERT_OK((*writer)->Append(Points("w", 10)));
    EXPECT_EQ(Ask("SELECT count() FROM system.tables WHERE database = '" + database_ +
                  "' AND startsWith(name, 'stage_')"),
              "1\n");
  }
  EXPECT_EQ(Ask("SELECT count() FROM system.tables WHERE database = '" + database_ +
                "' AND startsWith(name, 'stage_')"),
            "0\n");
}

TEST_F(ClickHouseStorageTest, APointStoredTwiceByRacingWritersIsFoundByCompact) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write(Points("race", 100)));
  // Another process's write of the same times that nothing flagged (the race the class
  // comment names): ClickHouse holds each of these points twice.
  SampleRows again = *EncodeSampleRows(Points("race", 100, 0.5), "plant", UINT64_MAX / 2);
  HttpClient raw = Raw();
  ASSERT_OK(raw.InsertRowBinary(kSamplesTable, kSampleColumns, again.row_binary));
  EXPECT_EQ(Listed(*store, "race"), 200);  // tag_stats counted the rows

  ASSERT_OK(store->Compact());
  EXPECT_EQ(Listed(*store, "race"), 100);
  EXPECT_EQ(Count(*store, "race"), 100);
  std::vector<Sample> all = ReadAll(*store, "race");
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(all[3].value, 3.5);  // the later write's
  auto stats = store->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->samples, 100);
}

TEST_F(ClickHouseStorageTest, ARetriedWriteCountsOnceAndCompactClearsTheFlag) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write(Points("retry", 1000)));
  ASSERT_OK(store->Write(Points("retry", 1000)));  // the same batch again: a client's retry
  EXPECT_EQ(Listed(*store, "retry"), 1000);
  EXPECT_EQ(Count(*store, "retry"), 1000);
  const std::string flag = fmt::format(
      "SELECT argMax(overwritten, version) FROM {} WHERE tag = 'retry'", kOverwrittenTable);
  EXPECT_EQ(Ask(flag), "1\n");
  ASSERT_OK(store->Compact());
  EXPECT_EQ(Ask(flag), "0\n");
  EXPECT_EQ(Count(*store, "retry"), 1000);
  EXPECT_EQ(Listed(*store, "retry"), 1000);
  // Newer points only: the tag is not flagged again.
  SampleBatch later;
  later.Add("retry", 1'767'225'600 * kNanosPerSecond + 5000 * kNanosPerSecond, 1);
  ASSERT_OK(store->Write(later));
  EXPECT_EQ(Ask(flag), "0\n");
}

TEST_F(ClickHouseStorageTest, TagNamesThatBendSqlRoundTrip) {
  auto store = Open();
  ASSERT_TRUE(store);
  const std::vector<std::string> names = {"it's",
                                          "back\\slash",
                                          "new\nline",
                                          "tab\tbed",
                                          "\xe6\xb8\xa9\xe5\xba\xa6 (temp)",
                                          "'; DROP TABLE samples; --",
                                          std::string("nul\0byte", 8),
                                          "\\'"};
  SampleBatch batch;
  for (size_t i = 0; i < names.size(); ++i)
    batch.Add(names[i], static_cast<TimestampNs>(i), static_cast<double>(i));
  ASSERT_OK(store->Write(batch));
  auto tags = store->ListTags();
  ASSERT_OK(tags);
  ASSERT_EQ(tags->size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<Sample> got = ReadAll(*store, names[i]);
    ASSERT_EQ(got.size(), 1u) << names[i];
    EXPECT_EQ(got[0].value, static_cast<double>(i));
    auto latest = store->Latest(names[i]);
    ASSERT_OK(latest);
    EXPECT_EQ((*latest)->value, static_cast<double>(i));
  }
  auto agg = store->Aggregate({.tags = names, .aggs = kAggCount | kAggMax});
  ASSERT_OK(agg);
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_EQ((*agg)[i].buckets.size(), 1u) << names[i];
    EXPECT_EQ((*agg)[i].buckets[0].max, static_cast<double>(i));
  }
}

TEST_F(ClickHouseStorageTest, SitesShareTheTablesButNotTheirPoints) {
  auto shanghai = Open("shanghai");
  auto suzhou = Open("suzhou");
  ASSERT_TRUE(shanghai && suzhou);
  ASSERT_OK(shanghai->Write(Points("line-1.speed", 10, 100)));
  ASSERT_OK(suzhou->Write(Points("line-1.speed", 4, 200)));
  ASSERT_OK(suzhou->Write(Points("press.force", 3)));
  EXPECT_EQ(ReadAll(*shanghai, "line-1.speed").size(), 10u);
  EXPECT_EQ(ReadAll(*suzhou, "line-1.speed").size(), 4u);
  EXPECT_EQ(shanghai->Scan("press.force", {}, [](auto, auto, auto) { return true; }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ((*shanghai->Latest("line-1.speed"))->value, 109.0);
  EXPECT_EQ((*suzhou->Latest("line-1.speed"))->value, 203.0);
  EXPECT_EQ(shanghai->ListTags()->size(), 1u);
  EXPECT_EQ(suzhou->ListTags()->size(), 2u);
  ASSERT_OK(suzhou->Compact());
  EXPECT_EQ(Count(*shanghai, "line-1.speed"), 10);
}

TEST_F(ClickHouseStorageTest, AScanCrossesManyWindowsInOrderAndStopsWhenAsked) {
  auto store = Open();
  ASSERT_TRUE(store);
  store->set_scan_page_rows(50);
  // Dense and sparse stretches, and a point overwritten in each, so that windows both grow
  // and shrink and the last of equal times is kept across them.
  SampleBatch batch;
  std::vector<TimestampNs> times;
  for (int i = 0; i < 3000; ++i)
    times.push_back(i < 2000 ? i * 1000 : 2'000'000 + int64_t{i} * 7'000'000'000);
  for (TimestampNs t : times)
    batch.Add("dense", t, static_cast<double>(t));
  ASSERT_OK(store->Write(batch));
  SampleBatch over;
  for (size_t i = 0; i < times.size(); i += 97)
    over.Add("dense", times[i], -1.0);
  ASSERT_OK(store->Write(over));
  std::vector<Sample> all = ReadAll(*store, "dense");
  ASSERT_EQ(all.size(), times.size());
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].ts, times[i]);
    ASSERT_EQ(all[i].value, i % 97 == 0 ? -1.0 : static_cast<double>(times[i])) << i;
  }
  std::vector<Sample> part = ReadAll(*store, "dense", {times[500], times[2500]});
  ASSERT_EQ(part.size(), 2000u);
  EXPECT_EQ(part.front().ts, times[500]);
  size_t seen = 0;
  ASSERT_OK(store->Scan("dense", {}, [&](auto ts, auto, auto) {
    seen += ts.size();
    return false;
  }));
  EXPECT_LE(seen, 8192u);
}

TEST_F(ClickHouseStorageTest, AnUnreachableServerIsUnavailableAndNamed) {
  StorageConfig c = Config();
  c.clickhouse.url = "http://127.0.0.1:1";
  c.clickhouse.timeout_ms = 2000;
  auto s = ClickHouseStorage::Open(c);
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable) << s.status().ToString();
  EXPECT_THAT(s.status().message(), HasSubstr("http://127.0.0.1:1"));
  c.clickhouse.url = "clickhouse:8123";
  EXPECT_THAT(ClickHouseStorage::Open(c).status().message(), HasSubstr("must start with http://"));
  c = Config();
  c.clickhouse.database = "plant; DROP";
  EXPECT_EQ(ClickHouseStorage::Open(c).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ClickHouseStorageTest, AWrongPasswordIsClickHousesOwnRefusal) {
  StorageConfig c = Config();
  c.clickhouse.password_env = "FH_TEST_CLICKHOUSE_PASSWORD";
  setenv("FH_TEST_CLICKHOUSE_PASSWORD", "not-the-password", 1);
  auto s = ClickHouseStorage::Open(c);
  unsetenv("FH_TEST_CLICKHOUSE_PASSWORD");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("password"));
}

TEST_F(ClickHouseStorageTest, ReadOnlyReadsAndRefusesWrites) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_OK(store->Write(Points("ro", 5)));
  }
  auto store = ClickHouseStorage::Open(Config(), "opened with --read-only");
  ASSERT_OK(store);
  EXPECT_EQ(ReadAll(**store, "ro").size(), 5u);
  Status s = (*store)->Write(Points("ro", 1));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("--read-only"));
  EXPECT_EQ((*store)->Compact().code(), StatusCode::kFailedPrecondition);
}

TEST(ClickHouseConfigTest, TheHubConfigNamesTheServerAndKeepsThePasswordOut) {
  auto c = HubConfig::Parse(
      "name: shanghai\n"
      "storage:\n"
      "  backend: clickhouse\n"
      "  clickhouse:\n"
      "    url: http://ch.example:8123\n"
      "    database: group_plants\n"
      "    password_env: CH_PASS\n",
      "factoryhub.yaml");
  ASSERT_OK(c);
  EXPECT_EQ(c->storage.backend, "clickhouse");
  EXPECT_EQ(c->storage.clickhouse.url, "http://ch.example:8123");
  EXPECT_EQ(c->storage.clickhouse.database, "group_plants");
  EXPECT_EQ(c->storage.clickhouse.password_env, "CH_PASS");
  EXPECT_EQ(c->storage.clickhouse.site, "shanghai");  // the hub's name by default
  auto again = HubConfig::Parse(c->ToYaml(), "round trip");
  ASSERT_OK(again);
  EXPECT_EQ(again->storage.clickhouse.url, "http://ch.example:8123");
  EXPECT_EQ(again->storage.clickhouse.database, "group_plants");

  auto bad = HubConfig::Parse("storage:\n  clickhouse:\n    password: secret\n", "factoryhub.yaml");
  EXPECT_THAT(bad.status().message(), HasSubstr("factoryhub.yaml:3: unknown key "
                                                "'storage.clickhouse.password'"));
  auto compression =
      HubConfig::Parse("storage:\n  clickhouse:\n    compression: lz4\n", "factoryhub.yaml");
  EXPECT_THAT(compression.status().message(), HasSubstr("compression must be gzip or none"));
}

}  // namespace
}  // namespace fh::clickhouse
