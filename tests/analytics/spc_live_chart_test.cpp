// The live chart (analytics/spc/live_chart.h) and its point-by-point run rules
// (rule_tracker.h): the same answers as the whole-sequence rules and the study, and
// episodes instead of one event per point.
#include <map>
#include <random>
#include <set>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/spc/control_limits.h"
#include "analytics/spc/live_chart.h"
#include "analytics/spc/rule_tracker.h"
#include "analytics/spc/run_rules.h"
#include "analytics/spc_data.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

using testdata::PistonRings;

// (point, rule id, first point of the pattern), as CheckRulesStandardized says.
using Firing = std::tuple<size_t, std::string, size_t>;

std::set<Firing> Reference(const std::vector<double>& z, RuleSet set, std::vector<int> enabled) {
  std::set<Firing> out;
  for (const RuleViolation& v : CheckRulesStandardized(z, set, enabled))
    out.insert({v.point, std::string(v.rule), v.points.front()});
  return out;
}

std::set<Firing> Tracked(const std::vector<double>& z, RuleSet set, std::vector<int> enabled) {
  RuleTracker tracker(set, enabled);
  std::set<Firing> out;
  for (size_t i = 0; i < z.size(); ++i) {
    const uint32_t fired = tracker.Push(z[i]);
    for (const RunRule& rule : RunRules(set)) {
      if (fired & (1u << (rule.number - 1))) {
        out.insert({i, std::string(rule.id), i - tracker.PatternStart(rule.number)});
      }
    }
  }
  return out;
}

// Property: on random sequences of every kind a chart meets (in control, shifted, trending,
// hugging the center, values on the zone edges and ties), the tracker fires exactly the
// rules the whole-sequence check fires, at the same points, with the same first point.
TEST(RuleTrackerTest, FiresWhatTheWholeSequenceCheckFires) {
  std::mt19937_64 rng(20261203);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> kind_of(0, 4);
  size_t firings = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<double> z;
    const int kind = kind_of(rng);
    for (int i = 0; i < 200; ++i) {
      double v = normal(rng);
      if (kind == 1) v = 0.3 * v + (i % 40 < 20 ? 1.5 : -0.5);  // shifts
      if (kind == 2) v = 0.2 * v + (i % 12) * 0.3 - 1.5;        // saw-tooth trends
      if (kind == 3) v = 0.3 * v;                               // hugging the center
      if (kind == 4) v = std::round(v * 2) / 2;                 // zone edges and ties
      z.push_back(v);
    }
    for (RuleSet set : {RuleSet::kNelson, RuleSet::kWesternElectric}) {
      for (std::vector<int> enabled : {std::vector<int>{}, std::vector<int>{1, 3}}) {
        const std::set<Firing> want = Reference(z, set, enabled);
        ASSERT_EQ(Tracked(z, set, enabled), want) << "round " << round << " kind " << kind;
        firings += want.size();
      }
    }
  }
  EXPECT_GT(firings, 5000u);  // the sequences did exercise the rules
}

FrozenLimits PistonRingLimits() {
  Result<VariablesLimits> l = XbarRLimits(PistonRings("I"));
  EXPECT_OK(l);
  FrozenLimits f;
  f.version = 1;
  f.chart = "xbar-r";
  f.limits = *l;
  return f;
}

// Montgomery's phase II (subgroups 26-40) fed value by value: the X̄ chart's signals are the
// textbook's (37, 38, 39 beyond the upper limit) and the study's, as episodes.
TEST(LiveChartTest, PistonRingsPhaseTwoValueByValue) {
  LiveChart chart(PistonRingLimits(), RuleSet::kNelson, {});
  const std::vector<std::vector<double>> phase_two = PistonRings("II");
  TimestampNs ts = 0;
  for (const auto& g : phase_two) {
    for (double v : g)
      EXPECT_TRUE(chart.Add(++ts, v));
  }
  EXPECT_EQ(chart.subgroups(), 15);
  std::vector<LiveEpisode> episodes;
  chart.TakeChanged([&](const LiveEpisode& e) { episodes.push_back(e); });
  // Subgroup k (0-based) starts at value 5k + 1.
  auto subgroup = [](TimestampNs t) { return 26 + (t - 1) / 5; };
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> by_rule;  // (from, to)
  for (const LiveEpisode& e : episodes) {
    EXPECT_EQ(e.chart, e.rule == "beyond-limits" ? "r" : "xbar");
    by_rule[std::string(e.rule)].push_back({subgroup(e.ts), subgroup(e.last_ts)});
  }
  // 37, 38 and 39 beyond 3 sigma: one episode of three subgroups.
  EXPECT_THAT(by_rule["nelson-1"], ::testing::ElementsAre(std::pair<int64_t, int64_t>{37, 39}));
  ASSERT_EQ(by_rule["nelson-1"].size(), 1u);
  // The study of the same subgroups against the same limits fires the same rules at the same
  // subgroups: every firing point lies in one of the chart's episodes.
  std::vector<double> means = SubgroupMeans(phase_two);
  const double sigma =
      (PistonRingLimits().limits.location.upper - PistonRingLimits().limits.location.center) / 3;
  std::vector<double> z;
  for (double m : means)
    z.push_back((m - PistonRingLimits().limits.location.center) / sigma);
  size_t checked = 0;
  for (const RuleViolation& v : CheckRulesStandardized(z, RuleSet::kNelson)) {
    const int64_t point = 26 + static_cast<int64_t>(v.point);
    bool covered = false;
    for (const auto& [from, to] : by_rule[std::string(v.rule)])
      covered = covered || (point >= from && point <= to);
    EXPECT_TRUE(covered) << v.rule << " at subgroup " << point;
    ++checked;
  }
  EXPECT_GE(checked, 3u);
}

TEST(LiveChartTest, AnEpisodeGrowsEndsAndIsTakenOnce) {
  FrozenLimits f;
  f.version = 2;
  f.chart = "i-mr";
  f.limits.subgroup_size = 1;
  f.limits.location = {10, 7, 13};  // sigma 1
  f.limits.spread = {1.128, 0, 3.686};
  LiveChart chart(f, RuleSet::kNelson, std::vector<int>{1});
  std::vector<LiveEpisode> taken;
  auto take = [&] { chart.TakeChanged([&](const LiveEpisode& e) { taken.push_back(e); }); };
  const std::vector<double> values = {10, 10.5, 14, 14.2, 14.1, 10, 9.5};
  for (size_t i = 0; i < values.size(); ++i) {
    chart.Add(static_cast<TimestampNs>(100 + i), values[i]);
    if (i == 3) take();  // mid-episode: taken active, then again when it has ended
  }
  take();
  take();  // nothing changed since
  // The I chart: one episode 102..104 (three points), taken active and then ended. The MR
  // chart: 10.5 -> 14 (3.5) is inside, 14.1 -> 10 (4.1) is outside.
  std::vector<LiveEpisode> i_chart, mr_chart;
  for (const LiveEpisode& e : taken)
    (e.chart == "i" ? i_chart : mr_chart).push_back(e);
  ASSERT_EQ(i_chart.size(), 2u);
  EXPECT_TRUE(i_chart[0].active);
  EXPECT_EQ(i_chart[0].points, 2);
  EXPECT_FALSE(i_chart[1].active);
  EXPECT_EQ(i_chart[1].ts, 102);
  EXPECT_EQ(i_chart[1].first_ts, 102);
  EXPECT_EQ(i_chart[1].last_ts, 104);
  EXPECT_EQ(i_chart[1].points, 3);
  EXPECT_DOUBLE_EQ(i_chart[1].value, 14);
  EXPECT_EQ(i_chart[1].rule, "nelson-1");
  ASSERT_GE(mr_chart.size(), 1u);
  EXPECT_EQ(mr_chart[0].rule, "beyond-limits");
  EXPECT_EQ(mr_chart[0].ts, 105);
  EXPECT_NEAR(mr_chart[0].value, 4.1, 1e-12);
  EXPECT_EQ(chart.episodes(), 2);
  // A late value (a retry) is counted, not judged.
  EXPECT_FALSE(chart.Add(104, 20));
  EXPECT_EQ(chart.late(), 1);
  EXPECT_EQ(chart.subgroups(), 7);
}

// A run rule's episode begins where its pattern begins: nine on one side opens at the
// ninth point, its first point eight before.
TEST(LiveChartTest, ARunRuleEpisodeSaysWhereItsPatternBegan) {
  FrozenLimits f;
  f.version = 1;
  f.chart = "xbar-r";
  f.limits.subgroup_size = 2;
  f.limits.location = {0, -3, 3};
  f.limits.spread = {1, 0, 3.267};
  LiveChart chart(f, RuleSet::kNelson, std::vector<int>{2});
  for (int k = 0; k < 10; ++k) {  // subgroups (0.4, 0.6): mean 0.5, range 0.2
    chart.Add(1000 * k + 1, 0.4);
    chart.Add(1000 * k + 2, 0.6);
  }
  std::vector<LiveEpisode> taken;
  chart.TakeChanged([&](const LiveEpisode& e) { taken.push_back(e); });
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].rule, "nelson-2");
  EXPECT_EQ(taken[0].ts, 8001);       // the ninth subgroup
  EXPECT_EQ(taken[0].first_ts, 1);    // the first
  EXPECT_EQ(taken[0].last_ts, 9001);  // still firing at the tenth
  EXPECT_EQ(taken[0].points, 2);
  EXPECT_DOUBLE_EQ(taken[0].value, 0.5);
}

}  // namespace
}  // namespace fh::analytics::spc
