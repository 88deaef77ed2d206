// A hub written by an older factoryhub, whose chunks overlap (the same points stored twice
// until `compact`): its sample counts are of distinct points as soon as it is opened, and
// the first read-write open repairs its layout so that counting stays cheap.
#include <gtest/gtest.h>

#include "common/time.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

int64_t StoredSamples(Hub& hub, const std::string& tag) {
  auto tags = hub.storage().ListTags();
  EXPECT_OK(tags);
  for (const TagInfo& t : *tags) {
    if (t.name == tag) return t.samples;
  }
  return -1;
}

TEST(LayoutTest, AHubWithOverlappingChunksCountsDistinctPointsAndIsRepaired) {
  TempDir dir;
  HubConfig config;
  config.storage.log_points = 0;  // straight to chunks
  ASSERT_TRUE(Hub::Init(dir / "hub", config).ok());
  {
    auto hub = Hub::Open(dir / "hub");
    ASSERT_OK(hub);
    SampleBatch batch;
    for (int i = 0; i < 5000; ++i)
      batch.Add("x", i * kNanosPerSecond, i);
    ASSERT_TRUE((*hub)->storage().Write(batch).ok());
    EXPECT_EQ(StoredSamples(**hub, "x"), 5000);
  }
  {
    // What an older factoryhub left: every chunk stored twice, no layout recorded.
    auto db = sqlite::Db::Open(dir / "hub" / kHubDbFile, {});
    ASSERT_OK(db);
    ASSERT_TRUE(
        (*db)
            ->Exec("INSERT INTO sample_chunk(tag_id, t_min, t_max, n, v_min, v_max, v_sum, "
                   "seq, data) SELECT tag_id, t_min, t_max, n, v_min, v_max, v_sum, seq + 1, "
                   "data FROM sample_chunk; DELETE FROM ts_meta WHERE key = 'layout'")
            .ok());
  }
  auto hub = Hub::Open(dir / "hub");
  ASSERT_OK(hub);
  EXPECT_EQ(StoredSamples(**hub, "x"), 5000);
  auto stats = (*hub)->storage().Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->samples, 5000);
  hub->reset();
  // Repaired: the duplicates are gone from the chunks themselves.
  auto db = sqlite::Db::Open(dir / "hub" / kHubDbFile, {.read_only = true});
  ASSERT_OK(db);
  auto sum = (*db)->Prepare("SELECT SUM(n) FROM sample_chunk");
  ASSERT_OK(sum);
  ASSERT_TRUE(*sum->Step());
  EXPECT_EQ(sum->Int(0), 5000);
}

// Counting a hub's points (Stats, ListTags: every /metrics scrape) and finding the chunks
// a write reaches read the index of chunk spans only, never the chunks' compressed data.
TEST(LayoutTest, CountingAndOverlapLookupsReadOnlyTheSpanIndex) {
  TempDir dir;
  ASSERT_TRUE(Hub::Init(dir / "hub", HubConfig{}).ok());
  auto db = sqlite::Db::Open(dir / "hub" / kHubDbFile, {.read_only = true});
  ASSERT_OK(db);
  for (const char* query :
       {"SELECT COALESCE(SUM(n), 0) FROM sample_chunk",
        "SELECT tag_id, SUM(n), MIN(t_min), MAX(t_max) FROM sample_chunk GROUP BY tag_id",
        "SELECT t_max FROM sample_chunk WHERE tag_id = 1 AND t_min <= 5 ORDER BY t_min DESC "
        "LIMIT 1"}) {
    auto plan = (*db)->Prepare(std::string("EXPLAIN QUERY PLAN ") + query);
    ASSERT_OK(plan);
    std::string details;
    while (*plan->Step())
      details += std::string(plan->Text(3)) + "; ";
    EXPECT_NE(details.find("COVERING INDEX sample_chunk_span"), std::string::npos)
        << query << ": " << details;
  }
}

}  // namespace
}  // namespace fh::testing
