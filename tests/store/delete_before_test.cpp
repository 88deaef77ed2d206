// Storage::DeleteBefore on the embedded store: exact to the nanosecond whether the points are
// in whole chunks, in a chunk the cut goes through, in the row buffer or in the write log;
// counts, reads and aggregates agree afterwards, the layout holds (layout.h), and it lasts.
#include <gtest/gtest.h>

#include "common/time.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

std::vector<TimestampNs> Times(Storage& s, const std::string& tag) {
  std::vector<TimestampNs> out;
  EXPECT_OK(s.Scan(
      tag, {},
      [&](std::span<const TimestampNs> ts, std::span<const double>, std::span<const uint32_t>) {
        out.insert(out.end(), ts.begin(), ts.end());
        return true;
      }));
  return out;
}

TagInfo Info(Storage& s, const std::string& tag) {
  auto tags = s.ListTags();
  EXPECT_OK(tags);
  for (const TagInfo& t : *tags)
    if (t.name == tag) return t;
  return {};
}

TEST(DeleteBeforeTest, DeletesExactlyTheOlderPointsWhereverTheyAreStored) {
  TempDir dir;
  HubConfig config;
  config.storage.chunk_points = 1000;
  config.storage.buffer_points = 500;
  ASSERT_OK(Hub::Init(dir / "hub", config));
  auto hub = Hub::Open(dir / "hub");
  ASSERT_OK(hub);
  Storage& s = (*hub)->storage();
  // 0..9999 s: chunks of 1000 from one large write; 10000..10099 buffered by a compaction of
  // small writes; 10100..10109 left in the write log.
  SampleBatch big;
  for (int i = 0; i < 10000; ++i)
    big.Add("x", i * kNanosPerSecond, i);
  for (int i = 0; i < 10000; ++i)
    big.Add("y", i * kNanosPerSecond, i);
  ASSERT_OK(s.Write(big));
  SampleBatch small;
  for (int i = 10000; i < 10100; ++i)
    small.Add("x", i * kNanosPerSecond, i);
  ASSERT_OK(s.Write(small));
  ASSERT_OK(s.Compact());
  SampleBatch logged;
  for (int i = 10100; i < 10110; ++i)
    logged.Add("x", i * kNanosPerSecond, i);
  ASSERT_OK(s.Write(logged));

  // The cut goes through a chunk (4500.5 s), and again later through the buffer and the log.
  ASSERT_OK(s.DeleteBefore({"x", "no.such.tag"}, 4500 * kNanosPerSecond + 500'000'000));
  std::vector<TimestampNs> t = Times(s, "x");
  ASSERT_EQ(t.size(), 10110u - 4501u);
  EXPECT_EQ(t.front(), 4501 * kNanosPerSecond);
  EXPECT_EQ(t.back(), 10109 * kNanosPerSecond);
  TagInfo x = Info(s, "x");
  EXPECT_EQ(x.samples, 10110 - 4501);
  EXPECT_EQ(x.first_ts, 4501 * kNanosPerSecond);
  EXPECT_EQ(Info(s, "y").samples, 10000);  // another tag is untouched
  AggregateQuery q;
  q.tags = {"x"};
  auto agg = s.Aggregate(q);
  ASSERT_OK(agg);
  ASSERT_EQ((*agg)[0].buckets.size(), 1u);
  EXPECT_EQ((*agg)[0].buckets[0].count, 10110 - 4501);
  EXPECT_EQ((*agg)[0].buckets[0].min, 4501);

  ASSERT_OK(s.DeleteBefore({"x"}, 10105 * kNanosPerSecond));
  EXPECT_EQ(Times(s, "x"),
            (std::vector<TimestampNs>{10105 * kNanosPerSecond, 10106 * kNanosPerSecond,
                                      10107 * kNanosPerSecond, 10108 * kNanosPerSecond,
                                      10109 * kNanosPerSecond}));
  // Old times can be written again, and compaction and a reopen agree.
  SampleBatch again;
  again.Add("x", 7, 7.5);
  ASSERT_OK(s.Write(again));
  ASSERT_OK(s.Compact());
  hub->reset();
  hub = Hub::Open(dir / "hub");
  ASSERT_OK(hub);
  EXPECT_EQ(Times((*hub)->storage(), "x").size(), 6u);
  EXPECT_EQ(Info((*hub)->storage(), "x").samples, 6);
  EXPECT_EQ(Info((*hub)->storage(), "y").samples, 10000);
  ASSERT_OK((*hub)->storage().DeleteBefore({"y"}, std::numeric_limits<TimestampNs>::max()));
  EXPECT_EQ(Info((*hub)->storage(), "y").samples, 0);
  hub->reset();
  // The layout that keeps counting cheap holds: no chunk overlaps another or a buffered point.
  auto db = sqlite::Db::Open(dir / "hub" / kHubDbFile, {.read_only = true});
  ASSERT_OK(db);
  auto overlaps = (*db)->Prepare(
      "SELECT COUNT(*) FROM sample_chunk a JOIN sample_chunk b ON a.tag_id = b.tag_id AND a.id < "
      "b.id AND a.t_min <= b.t_max AND b.t_min <= a.t_max");
  ASSERT_OK(overlaps);
  ASSERT_TRUE(overlaps->Step().value());
  EXPECT_EQ(overlaps->Int(0), 0);
}

TEST(DeleteBeforeTest, AReadOnlyHubRefuses) {
  TempDir dir;
  ASSERT_OK(Hub::Init(dir / "hub", HubConfig{}));
  auto hub = Hub::Open(dir / "hub", /*read_only=*/true);
  ASSERT_OK(hub);
  EXPECT_FALSE((*hub)->storage().DeleteBefore({"x"}, 0).ok());
}

}  // namespace
}  // namespace fh::testing
