// An alarm's condition on synthetic signals (analytics/alarms/alarm_condition.h): the
// deadband that keeps noise around a limit from chattering, on- and off-delays with their
// exact times under sample and hold, rate of change, deviation from a set-point, a tag that
// goes stale, discrete states, and NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analytics/alarms/alarm_condition.h"

namespace fh::analytics::alarms {
namespace {

constexpr int64_t kS = kNanosPerSecond;

struct Change {
  bool active;
  int64_t second;
  bool operator==(const Change&) const = default;
};

// Feeds one value a second from t = 0 (Advance before each, as an evaluation does) and
// returns the changes, their times in seconds.
std::vector<Change> Changes(const AlarmDefinition& d, const std::vector<double>& values,
                            int64_t advance_to_s = -1) {
  AlarmCondition c(d);
  std::vector<Change> out;
  auto take = [&](std::optional<ConditionChange> ch) {
    if (ch) out.push_back({ch->active, ch->ts / kS});
  };
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t t = static_cast<int64_t>(i) * kS;
    take(c.Advance(t));
    take(c.Add(t, values[i]));
  }
  if (advance_to_s >= 0) take(c.Advance(advance_to_s * kS));
  return out;
}

AlarmDefinition High(double limit, double deadband = 0) {
  AlarmDefinition d;
  d.name = "high";
  d.type = AlarmType::kHigh;
  d.limit = limit;
  d.deadband = deadband;
  return d;
}

TEST(AlarmConditionTest, ADeadbandStopsNoiseAroundTheLimitFromChattering) {
  // A signal hovering about 100: without a deadband every crossing is an alarm or a clear.
  const std::vector<double> noisy = {98, 101, 99.5, 100.5, 99.8, 101, 99.9, 97, 96};
  EXPECT_EQ(Changes(High(100), noisy).size(), 6u);
  // With 2 of deadband it is raised once and clears only below 98.
  EXPECT_EQ(Changes(High(100, 2), noisy), (std::vector<Change>{{true, 1}, {false, 7}}));
}

TEST(AlarmConditionTest, AnOnDelayIgnoresShortExcursionsAndTakesEffectWhenItElapses) {
  AlarmDefinition d = High(100);
  d.on_delay_ns = 3 * kS;
  // Above for two seconds (1, 2): nothing. Then above from 5 on: raised at 5 + 3 = 8.
  const std::vector<double> v = {90, 105, 105, 90, 90, 105, 105, 105, 105, 105, 90};
  EXPECT_EQ(Changes(d, v), (std::vector<Change>{{true, 8}, {false, 10}}));
  // Sample and hold: one value above at 1 and none after until 20; the delay elapses at 4.
  AlarmCondition sparse(d);
  ASSERT_FALSE(sparse.Add(0, 90));
  ASSERT_FALSE(sparse.Add(1 * kS, 105));
  std::optional<ConditionChange> raised = sparse.Advance(20 * kS);
  ASSERT_TRUE(raised);
  EXPECT_TRUE(raised->active);
  EXPECT_EQ(raised->ts, 4 * kS);
  EXPECT_EQ(raised->value, 105);
}

// A value that arrives just as the delay elapses decides, as a controller's scan would.
TEST(AlarmConditionTest, AValueAtTheEndOfTheOnDelayDecides) {
  AlarmDefinition d = High(100);
  d.on_delay_ns = 3 * kS;
  EXPECT_TRUE(Changes(d, {105, 105, 105, 90}).empty());
  EXPECT_EQ(Changes(d, {105, 105, 105, 105}, 10), (std::vector<Change>{{true, 3}}));
}

TEST(AlarmConditionTest, AnOffDelayKeepsTheAlarmThroughShortReturns) {
  AlarmDefinition d = High(100);
  d.off_delay_ns = 2 * kS;
  const std::vector<double> v = {105, 95, 105, 95, 95, 95, 95};
  // Back at 1 for a second only: still active; back from 3: cleared at 3 + 2 = 5.
  EXPECT_EQ(Changes(d, v), (std::vector<Change>{{true, 0}, {false, 5}}));
}

TEST(AlarmConditionTest, LowAlarmsWithTheirDeadbandAbove) {
  AlarmDefinition d;
  d.type = AlarmType::kLow;
  d.limit = 10;
  d.deadband = 1;
  EXPECT_EQ(Changes(d, {12, 9, 10.5, 11, 11.5}), (std::vector<Change>{{true, 1}, {false, 4}}));
}

TEST(AlarmConditionTest, RateOfChangePerTheGivenTime) {
  AlarmDefinition d;
  d.type = AlarmType::kRateOfChange;
  d.limit = 30;  // per minute: 0.5 a second
  d.per_ns = 60 * kS;
  // Steps of 0.2, 0.2, 1.0 (60/min), -0.8 (48/min, falling counts), 0.1.
  EXPECT_EQ(Changes(d, {0, 0.2, 0.4, 1.4, 0.6, 0.7}), (std::vector<Change>{{true, 3}, {false, 5}}));
}

TEST(AlarmConditionTest, DeviationFromTheSetpointsNewestValue) {
  AlarmDefinition d;
  d.type = AlarmType::kDeviation;
  d.limit = 5;
  AlarmCondition c(d);
  EXPECT_FALSE(c.Add(0, 150));  // no set-point yet: says nothing
  c.Setpoint(150);
  EXPECT_FALSE(c.Add(1 * kS, 154));
  c.Setpoint(160);  // the set-point moves away: 154 is now 6 off
  std::optional<ConditionChange> off = c.Add(2 * kS, 154);
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->active);
  EXPECT_EQ(off->value, 154);
  std::optional<ConditionChange> back = c.Add(3 * kS, 158);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->active);
}

TEST(AlarmConditionTest, AStaleTagGoesStaleAfterItsLastValueAndRecoversWithTheNext) {
  AlarmDefinition d;
  d.type = AlarmType::kStale;
  d.after_ns = 10 * kS;
  AlarmCondition c(d);
  EXPECT_FALSE(c.Advance(100 * kS));  // never had a value: not stale, unknown
  EXPECT_FALSE(c.Add(0, 1));
  EXPECT_FALSE(c.Add(5 * kS, 1));
  EXPECT_FALSE(c.Advance(15 * kS));  // exactly `after`: not yet
  std::optional<ConditionChange> stale = c.Advance(40 * kS);
  ASSERT_TRUE(stale);
  EXPECT_TRUE(stale->active);
  EXPECT_EQ(stale->ts, 15 * kS);
  EXPECT_FALSE(c.Advance(50 * kS));  // once
  std::optional<ConditionChange> fresh = c.Add(60 * kS, 2);
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->active);
  EXPECT_EQ(fresh->ts, 60 * kS);
}

TEST(AlarmConditionTest, DiscreteStates) {
  AlarmDefinition d;
  d.type = AlarmType::kState;
  d.states = {3, 4};  // e.g. fault, emergency stop
  EXPECT_EQ(Changes(d, {1, 2, 3, 4, 1, 4}),
            (std::vector<Change>{{true, 2}, {false, 4}, {true, 5}}));
}

TEST(AlarmConditionTest, NaNNeitherRaisesNorClearsAndLateValuesAreIgnored) {
  const double nan = std::nan("");
  EXPECT_EQ(Changes(High(100), {105, nan, nan, 90}), (std::vector<Change>{{true, 0}, {false, 3}}));
  const AlarmDefinition high = High(100);
  AlarmCondition c(high);
  EXPECT_TRUE(c.Add(10 * kS, 105));
  EXPECT_FALSE(c.Add(5 * kS, 90));  // before the last: ignored
  EXPECT_TRUE(c.active());
}

}  // namespace
}  // namespace fh::analytics::alarms
