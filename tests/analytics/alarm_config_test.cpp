// alarms.yaml: alarm definitions as `alarms evaluate` and serve read them, and errors that
// say the file, the line and the key.
#include "analytics/alarms/alarm_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fh::analytics::alarms {
namespace {

using ::testing::HasSubstr;

TEST(AlarmConfigTest, ReadsEveryType) {
  Result<AlarmConfig> c = AlarmConfig::Parse(R"(
alarms:
  - name: oven-high
    type: high
    tag: line-1.oven.temp
    limit: 230
    deadband: 2
    on_delay: 5s
    off_delay: 10s
    priority: high
    equipment: acme/shanghai/line-1/oven
    description: Oven above its recipe window
    latched: true
    re_alarm: 30m
    suppressed_when: {tag: line-1.oven.running, states: 0}
  - {name: flow-low, type: low, tag: f, limit: 3}
  - {name: ramp, type: rate-of-change, tag: t, limit: 5, per: 1m}
  - {name: off-setpoint, type: deviation, tag: p.pv, setpoint: p.sp, limit: 0.5}
  - {name: feed-lost, type: stale, tag: feed, after: 30s, priority: critical}
  - {name: estop, type: state, tag: press.state, states: [3, 4], priority: critical}
  - {name: bore-spc, type: spc, characteristic: bore-cnc-01, priority: low}
  - {name: mill-risk, type: model, model: ai4i-failure, unit: mill-01, limit: 0.5}
  - {name: press-risk, type: model, model: press-failure, limit: 0.8}
)",
                                             "alarms.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->alarms.size(), 9u);
  EXPECT_EQ(c->Find("mill-risk")->tag, "model/ai4i-failure/mill-01");  // serve --score's series
  EXPECT_EQ(c->Find("press-risk")->tag, "model/press-failure");
  EXPECT_EQ(AlarmTypeName(c->Find("press-risk")->type), "model");
  const AlarmDefinition* oven = c->Find("oven-high");
  ASSERT_NE(oven, nullptr);
  EXPECT_EQ(oven->type, AlarmType::kHigh);
  EXPECT_EQ(oven->limit, 230);
  EXPECT_EQ(oven->deadband, 2);
  EXPECT_EQ(oven->on_delay_ns, 5 * kNanosPerSecond);
  EXPECT_EQ(oven->off_delay_ns, 10 * kNanosPerSecond);
  EXPECT_EQ(oven->priority, Priority::kHigh);
  EXPECT_EQ(oven->equipment, "acme/shanghai/line-1/oven");
  EXPECT_TRUE(oven->latched);
  EXPECT_EQ(oven->re_alarm_ns, 30 * kNanosPerMinute);
  ASSERT_TRUE(oven->suppressed_when);
  EXPECT_EQ(oven->suppressed_when->tag, "line-1.oven.running");
  EXPECT_EQ(oven->suppressed_when->states, std::vector<double>{0});
  EXPECT_EQ(c->Find("flow-low")->priority, Priority::kMedium);  // the default
  EXPECT_EQ(c->Find("ramp")->per_ns, kNanosPerMinute);
  EXPECT_EQ(c->Find("off-setpoint")->setpoint, "p.sp");
  EXPECT_EQ(c->Find("feed-lost")->after_ns, 30 * kNanosPerSecond);
  EXPECT_EQ(c->Find("estop")->states, (std::vector<double>{3, 4}));
  EXPECT_EQ(c->Find("bore-spc")->characteristic, "bore-cnc-01");
  EXPECT_EQ(AlarmTypeName(c->Find("ramp")->type), "rate-of-change");
  EXPECT_EQ(c->Find("nothing"), nullptr);
}

TEST(AlarmConfigTest, NoFileIsNoAlarms) {
  Result<AlarmConfig> c = AlarmConfig::Load("/nonexistent/alarms.yaml");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->alarms.empty());
  EXPECT_TRUE(AlarmConfig::Parse("", "alarms.yaml")->alarms.empty());
}

TEST(AlarmConfigTest, ErrorsSayTheFileLineAndKey) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  const Case cases[] = {
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, colour: red}",
       "alarms.yaml:2: unknown key 'alarms[0].colour'"},
      {"alarms:\n  - {name: a, type: high, tag: t}",
       "alarms.yaml:2: alarm 'a' (high alarm) needs a limit"},
      {"alarms:\n  - {name: a, type: hot, tag: t, limit: 1}",
       "alarms.yaml:2: unknown alarm type 'hot'"},
      {"alarms:\n  - {name: a, type: high, limit: 1}", "needs a tag"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, priority: urgent}",
       "unknown priority 'urgent'"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: x}",
       "alarm 'a'.limit: 'x' is not a number"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, on_delay: soon}",
       "alarm 'a'.on_delay"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, deadband: -1}",
       "deadband must be >= 0"},
      {"alarms:\n  - {name: a, type: stale, tag: t}", "needs after"},
      {"alarms:\n  - {name: a, type: stale, tag: t, after: 1m, limit: 3}",
       "a stale alarm has no limit"},
      {"alarms:\n  - {name: a, type: deviation, tag: t, limit: 1}", "needs a setpoint"},
      {"alarms:\n  - {name: a, type: rate-of-change, tag: t, limit: -1}", "must be > 0"},
      {"alarms:\n  - {name: a, type: state, tag: t}", "needs states"},
      {"alarms:\n  - {name: a, type: spc, tag: t, characteristic: c}", "a spc alarm has no tag"},
      {"alarms:\n  - {name: a, type: model, limit: 0.5}", "needs a model"},
      {"alarms:\n  - {name: a, type: model, model: m}", "needs a limit"},
      {"alarms:\n  - {name: a, type: model, model: m, tag: t, limit: 1}",
       "a model alarm has no tag"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, model: m}",
       "a high alarm has no model"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1, suppressed_when: {tag: r}}",
       "suppressed_when needs a tag and states"},
      {"alarms:\n  - {name: a, type: high, tag: t, limit: 1}\n  - {name: a, type: low, tag: t, "
       "limit: 0}",
       "alarms.yaml:3: alarm 'a' is defined twice"},
      {"alarm:\n  - {name: a}", "alarms.yaml:1: unknown key 'alarm'"},
      {"alarms: [", "alarms.yaml:1:"},
  };
  for (const Case& c : cases) {
    Result<AlarmConfig> r = AlarmConfig::Parse(c.yaml, "alarms.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_THAT(r.status().message(), HasSubstr(c.error)) << c.yaml;
  }
}

}  // namespace
}  // namespace fh::analytics::alarms
