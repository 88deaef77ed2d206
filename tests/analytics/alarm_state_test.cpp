// Every ISA-18.2 alarm state transition, as data: tests/analytics/alarm_cases/
// transitions.yaml lists event sequences and the events and states each step must give
// (its header says how to read and add a case).
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include "analytics/alarms/alarm_state.h"
#include "common/time.h"
#include "testing/source_dir.h"

namespace fh::analytics::alarms {
namespace {

constexpr int64_t kSecond = kNanosPerSecond;

struct Outcome {
  std::string event;  // "none", "refused", or the event's name with * when annunciated
  TimestampNs ts = 0;
};

Outcome Do(AlarmState& a, const std::string& action, TimestampNs t) {
  auto of = [](const AlarmEvent& e) {
    return Outcome{std::string(AlarmEventText(e.kind)) + (e.annunciated ? "*" : ""), e.ts};
  };
  auto optional = [&](std::optional<AlarmEvent> e) { return e ? of(*e) : Outcome{"none", t}; };
  auto result = [&](Result<AlarmEvent> e) { return e.ok() ? of(*e) : Outcome{"refused", t}; };
  if (action == "on") return optional(a.Condition(true, t));
  if (action == "off") return optional(a.Condition(false, t));
  if (action == "tick") return optional(a.Tick(t));
  if (action == "suppress") return optional(a.Suppress(true, t));
  if (action == "unsuppress") return optional(a.Suppress(false, t));
  if (action == "ack") return result(a.Acknowledge(t));
  if (action == "reset") return result(a.Reset(t));
  if (action == "shelve") return result(a.Shelve(t, std::nullopt));
  if (action.starts_with("shelve-")) {
    return result(a.Shelve(t, t + std::stoll(action.substr(7)) * kSecond));
  }
  if (action == "unshelve") return result(a.Unshelve(t));
  if (action == "remove") return result(a.RemoveFromService(t));
  if (action == "return") return result(a.ReturnToService(t));
  ADD_FAILURE() << "unknown action " << action;
  return {};
}

TEST(AlarmStateTest, EveryTransitionOfTheCases) {
  const auto path = testing::SourceDir() / "tests/analytics/alarm_cases/transitions.yaml";
  const YAML::Node cases = YAML::LoadFile(path.string());
  ASSERT_GE(cases.size(), 15u);
  for (const YAML::Node& c : cases) {
    const std::string name = c["name"].as<std::string>();
    AlarmState alarm(c["latched"] && c["latched"].as<bool>(),
                     c["re_alarm"] ? c["re_alarm"].as<int64_t>() * kSecond : 0);
    for (const YAML::Node& step : c["steps"]) {
      const TimestampNs t = step[0].as<int64_t>() * kSecond;
      const std::string action = step[1].as<std::string>();
      SCOPED_TRACE(name + ", line " + std::to_string(step.Mark().line + 1) + ": " + action);
      const Outcome out = Do(alarm, action, t);
      EXPECT_EQ(out.event, step[2].as<std::string>());
      EXPECT_EQ(AlarmStateText(alarm.state()), step[3].as<std::string>());
      const TimestampNs at = step.size() > 4 ? step[4].as<int64_t>() * kSecond : t;
      EXPECT_EQ(out.ts, at);
    }
  }
}

// A refused action says why, in words an operator reads.
TEST(AlarmStateTest, RefusalsSayWhy) {
  AlarmState a(/*latching=*/true);
  Result<AlarmEvent> ack = a.Acknowledge(0);
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.status().message(), "it is normal: nothing to acknowledge");
  ASSERT_TRUE(a.Condition(true, kSecond));
  Result<AlarmEvent> reset = a.Reset(2 * kSecond);
  ASSERT_FALSE(reset.ok());
  EXPECT_EQ(reset.status().message(),
            "it is still active: a latched alarm is reset once it has cleared");
}

}  // namespace
}  // namespace fh::analytics::alarms
