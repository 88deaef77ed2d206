// Attribute charts judged live (analytics/spc/live_chart.h, AddCounts): the same subgroups
// out of their limits as the attribute study (attribute_study.h) says, each run of them an
// episode; np and c leave out subgroups of another size.
#include <algorithm>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "analytics/spc/attribute_study.h"
#include "analytics/spc/live_chart.h"
#include "analytics/spc_data.h"

namespace fh::analytics::spc {
namespace {

FrozenLimits AttributeLimits(const char* chart, double center, int n) {
  FrozenLimits f;
  f.version = 1;
  f.chart = chart;
  f.limits.subgroup_size = n;
  f.limits.location.center = center;
  return f;
}

std::vector<std::pair<TimestampNs, TimestampNs>> Episodes(LiveChart& chart) {
  std::vector<std::pair<TimestampNs, TimestampNs>> out;
  chart.TakeChanged([&](const LiveEpisode& e) {
    EXPECT_EQ(e.rule, "beyond-limits");
    out.push_back({e.ts, e.last_ts});
  });
  std::sort(out.begin(), out.end());
  return out;
}

// Montgomery's orange-juice cans (Example 7.1) against the trial center p̄ 0.2313: samples
// 15 and 23 above, 41 below, as the study says (tests/cli: CliSpcAttributeTest).
TEST(LiveAttributeTest, OrangeJuiceCansAsTheStudyJudgesThem) {
  const double p_bar = 347.0 / 1500;  // the 30 trial samples' defectives over their cans
  LiveChart p(AttributeLimits("p", p_bar, 50), RuleSet::kNelson, {});
  LiveChart np(AttributeLimits("np", 50 * p_bar, 50), RuleSet::kNelson, {});
  TimestampNs ts = 0;
  for (const auto& r : testdata::Rows("orange_juice_cans.csv")) {
    ++ts;
    EXPECT_TRUE(p.AddCounts(ts, std::stoll(r[2]), std::stoll(r[1])));
    EXPECT_TRUE(np.AddCounts(ts, std::stoll(r[2]), std::stoll(r[1])));
  }
  EXPECT_EQ(p.subgroups(), 54);
  using Spans = std::vector<std::pair<TimestampNs, TimestampNs>>;
  EXPECT_EQ(Episodes(p), (Spans{{15, 15}, {23, 23}, {41, 41}}));
  EXPECT_EQ(Episodes(np), (Spans{{15, 15}, {23, 23}, {41, 41}}));
  EXPECT_FALSE(p.AddCounts(ts, 50, 1));  // not newer: late
  EXPECT_EQ(p.late(), 1);
  EXPECT_FALSE(p.Add(ts + 1, 0.5));  // values are not counts
}

// Varying subgroup sizes: p and u judge each against limits for its size; np and c chart
// one size and leave the others out.
TEST(LiveAttributeTest, LimitsFollowTheSubgroupSize) {
  // Circuit boards' c̄ 19.85 as u per board with boards of 1, 2 and 4: a u of 30 is out for 4
  // boards (UCL 19.85 + 3 √(19.85/4) = 26.533) but not for 1 (UCL 33.22).
  LiveChart u(AttributeLimits("u", 19.85, 1), RuleSet::kNelson, {});
  ASSERT_TRUE(u.AddCounts(1, 1, 30));
  ASSERT_TRUE(u.AddCounts(2, 4, 120));
  ASSERT_TRUE(u.AddCounts(3, 2, 40));
  const std::vector<std::pair<TimestampNs, TimestampNs>> out = Episodes(u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 2);
  const ControlLimits four = AttributeLimitsAround(AttributeChart::kU, 19.85, 4);
  EXPECT_NEAR(four.upper, 26.5330, 1e-4);

  LiveChart c(AttributeLimits("c", 19.85, 1), RuleSet::kNelson, {});
  EXPECT_TRUE(c.AddCounts(1, 1, 45));  // one board, 45 nonconformities: above 33.22
  EXPECT_TRUE(c.AddCounts(2, 3, 45));  // three boards: not c's size, left out
  EXPECT_EQ(c.subgroups(), 1);
  EXPECT_EQ(c.left_out(), 1);
  EXPECT_EQ(Episodes(c).size(), 1u);
}

}  // namespace
}  // namespace fh::analytics::spc
