// How values become subgroups (analytics/spc/subgrouping.h), in a study and live.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/spc/live_chart.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/subgrouping.h"
#include "common/time.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kHour = kNanosPerHour;
constexpr int64_t kMinute = kNanosPerMinute;

TEST(SubgroupingTest, ByCountLeavesAShortLastGroupOut) {
  const std::vector<TimestampNs> ts = {1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7};
  Subgrouped s = GroupValues(ts, v, GroupBy::kCount, 3, 0);
  EXPECT_THAT(s.groups, ElementsAre(ElementsAre(1, 2, 3), ElementsAre(4, 5, 6)));
  EXPECT_THAT(s.ts, ElementsAre(1, 4));
}

// "Five parts every hour": the first five of each hour; an hour with fewer is left out.
TEST(SubgroupingTest, ByTimeTakesTheFirstNOfEachBucket) {
  std::vector<TimestampNs> ts;
  std::vector<double> v;
  for (int h = 0; h < 3; ++h) {
    const int count = h == 1 ? 4 : 7;
    for (int k = 0; k < count; ++k) {
      ts.push_back(h * kHour + k * kMinute);
      v.push_back(10 * h + k);
    }
  }
  Subgrouped s = GroupValues(ts, v, GroupBy::kTime, 5, kHour);
  EXPECT_THAT(s.groups, ElementsAre(ElementsAre(0, 1, 2, 3, 4), ElementsAre(20, 21, 22, 23, 24)));
  EXPECT_THAT(s.ts, ElementsAre(0, 2 * kHour));
  EXPECT_EQ(s.left_out, 1u);
  // Without n: every value of a bucket, the most common size charted (7), the other left out.
  Subgrouped all = GroupValues(ts, v, GroupBy::kTime, 1, kHour);
  ASSERT_EQ(all.groups.size(), 2u);
  EXPECT_EQ(all.groups[0].size(), 7u);
  EXPECT_EQ(all.left_out, 1u);
}

TEST(SubgroupingTest, BucketsBefore1970AreAlignedLikeTheLaterOnes) {
  const std::vector<TimestampNs> ts = {-2 * kHour + 1, -kHour - 1, -kHour + 5, -1, 0, 1};
  const std::vector<double> v = {1, 2, 3, 4, 5, 6};
  Subgrouped s = GroupValues(ts, v, GroupBy::kTime, 2, kHour);
  EXPECT_THAT(s.groups, ElementsAre(ElementsAre(1, 2), ElementsAre(3, 4), ElementsAre(5, 6)));
}

// Each order's values, in the order the orders began (interleaved machines); values
// without an order are left out.
TEST(SubgroupingTest, ByOrderGroupsEachWorkOrdersValues) {
  const std::vector<TimestampNs> ts = {1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7};
  const std::vector<std::optional<int64_t>> orders = {7, 9, 7, std::nullopt, 9, 7, 9};
  Subgrouped s = GroupValues(ts, v, GroupBy::kOrder, 1, 0, orders);
  EXPECT_THAT(s.groups, ElementsAre(ElementsAre(1, 3, 6), ElementsAre(2, 5, 7)));
  EXPECT_THAT(s.ts, ElementsAre(1, 2));
  EXPECT_EQ(s.left_out, 1u);
  Subgrouped first_two = GroupValues(ts, v, GroupBy::kOrder, 2, 0, orders);
  EXPECT_THAT(first_two.groups, ElementsAre(ElementsAre(1, 3), ElementsAre(2, 5)));
}

TEST(SubgroupingTest, SpcYamlSaysHowToGroupAndErrorsSayWhere) {
  ASSERT_OK_AND_ASSIGN(SpcConfig c, SpcConfig::Parse(R"(
characteristics:
  - {name: hourly, tag: oven.temp, by: time, every: 1h, subgroup: 5}
  - {name: per-order, inspection: bore, by: order, subgroup: 3}
)",
                                                     "spc.yaml"));
  EXPECT_EQ(c.characteristics[0].study.group_by, GroupBy::kTime);
  EXPECT_EQ(c.characteristics[0].study.every_ns, kHour);
  EXPECT_EQ(c.characteristics[1].study.group_by, GroupBy::kOrder);
  EXPECT_EQ(c.characteristics[1].study.subgroup_size, 3);
  for (const auto& [yaml, message] : std::initializer_list<std::pair<const char*, const char*>>{
           {"characteristics:\n  - {name: a, tag: t, by: order}", "grouped by count or time"},
           {"characteristics:\n  - {name: a, tag: t, by: time}", "needs every"},
           {"characteristics:\n  - {name: a, tag: t, every: 1h}", "every goes with by: time"},
           {"characteristics:\n  - {name: a, tag: t, by: time, every: soon}", "not a duration"},
           {"characteristics:\n  - {name: a, tag: t, by: weekly}", "not count, time, order"},
           {"characteristics:\n  - {name: a, inspection: b, subgroup: 3}", "subgroup goes with"}}) {
    Result<SpcConfig> bad = SpcConfig::Parse(yaml, "spc.yaml");
    ASSERT_FALSE(bad.ok()) << yaml;
    EXPECT_THAT(bad.status().message(), HasSubstr("spc.yaml:2"));
    EXPECT_THAT(bad.status().message(), HasSubstr(message)) << bad.status().message();
  }
}

FrozenLimits Limits(int n) {
  FrozenLimits f;
  f.version = 1;
  f.chart = n == 1 ? "i-mr" : "xbar-r";
  f.limits.subgroup_size = n;
  f.limits.location = {0, -3, 3};
  f.limits.spread = {1, 0, 100};
  return f;
}

// Live, by time: a bucket's first n are judged as they complete it; without first_n, a
// bucket is judged when the next one begins, if it has the limits' size.
TEST(SubgroupingTest, LiveChartsGroupByTimeAsStudiesDo) {
  LiveChart first(Limits(2), RuleSet::kNelson, {}, LiveGrouping{kHour, true});
  LiveChart whole(Limits(3), RuleSet::kNelson, {}, LiveGrouping{kHour, false});
  const std::vector<std::pair<TimestampNs, double>> values = {
      {0, 0},         {kMinute, 10},      {2 * kMinute, 0},  // hour 0: three values
      {kHour, 0},                                            // hour 1: one
      {2 * kHour, 1}, {2 * kHour + 1, 1}, {2 * kHour + 2, 1}, {3 * kHour, 0}};
  for (const auto& [ts, v] : values) {
    first.Add(ts, v);
    whole.Add(ts, v);
  }
  EXPECT_EQ(first.subgroups(), 2);  // hours 0 and 2 (first two); hour 1 too short so far
  EXPECT_EQ(first.left_out(), 1);   // hour 1, closed by hour 2
  EXPECT_EQ(whole.subgroups(), 2);  // hours 0 and 2, each closed by the next
  EXPECT_EQ(whole.left_out(), 1);   // hour 1
  std::vector<LiveEpisode> taken;
  first.TakeChanged([&](const LiveEpisode& e) { taken.push_back(e); });
  ASSERT_EQ(taken.size(), 1u);  // hour 0's first two: mean 5, beyond 3
  EXPECT_EQ(taken[0].ts, 0);
  EXPECT_DOUBLE_EQ(taken[0].value, 5);
}

}  // namespace
}  // namespace fh::analytics::spc
