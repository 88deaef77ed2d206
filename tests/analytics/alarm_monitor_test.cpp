// serve's live alarms (analytics/alarms/alarm_monitor.h) on a real hub: values as the ingest
// hands them over, time that makes a tag stale, operators acting through the API's call and
// through the CLI's queue, SPC episodes becoming an alarm, and a restart that continues
// where the last server stopped.
#include <gtest/gtest.h>

#include "analytics/alarms/alarm_monitor.h"
#include "store/event_session.h"
#include "store/models/alarm_journal_store.h"
#include "store/models/spc_event_store.h"
#include "testing/hub_test.h"

namespace fh::analytics::alarms {
namespace {

constexpr TimestampNs kStart = 1767225600'000000000;  // 2026-01-01
constexpr int64_t kSec1 = kNanosPerSecond;

class AlarmMonitorTest : public fh::testing::HubTest {
 protected:
  AlarmConfig Config() {
    Result<AlarmConfig> c = AlarmConfig::Parse(R"(
alarms:
  - {name: oven-high, type: high, tag: oven.temp, limit: 230, deadband: 5, priority: high,
     equipment: acme/line-1/oven, suppressed_when: {tag: oven.running, states: 0}}
  - {name: feed-lost, type: stale, tag: feed, after: 30s, priority: critical}
  - {name: bore-spc, type: spc, characteristic: bore, priority: low}
)",
                                               "alarms.yaml");
    EXPECT_OK(c);
    return *c;
  }
  SampleBatch Values(const std::string& tag, int64_t from_s, std::vector<double> values) {
    SampleBatch b;
    for (size_t i = 0; i < values.size(); ++i)
      b.Add(tag, kStart + (from_s + static_cast<int64_t>(i)) * kSec1, values[i]);
    return b;
  }
  std::vector<std::string> Journal() {
    EventSession session = hub_->OpenEvents();
    Result<std::vector<StoredAlarmEvent>> events =
        session.alarm_journal().List({.limit = 1000, .oldest_first = true});
    EXPECT_OK(events);
    std::vector<std::string> out;
    for (const StoredAlarmEvent& e : events.ok() ? *events : std::vector<StoredAlarmEvent>{}) {
      out.push_back(fmt::format(
          "{} {} {}{}{} @{}", e.alarm, e.event, e.state, e.user.empty() ? "" : " by " + e.user,
          e.comment.empty() ? "" : ": " + e.comment, (e.ts - kStart) / kSec1));
    }
    return out;
  }
  std::string StateOf(const AlarmMonitor& m, const std::string& name) {
    for (const AlarmView& v : m.Alarms()) {
      if (v.definition->name == name) return std::string(AlarmStateText(v.state));
    }
    return "?";
  }
};

TEST_F(AlarmMonitorTest, FollowsValuesAndOperatorsAndKeepsItAll) {
  const AlarmConfig config = Config();
  {
    AlarmMonitor m(*hub_, config);
    ASSERT_OK(m.Load(kStart));
    m.Observe(Values("oven.temp", 0, {220, 235, 240, 232}));  // raised at 1, held by the deadband
    ASSERT_OK(m.RunOnce(kStart + 4 * kSec1));
    EXPECT_EQ(StateOf(m, "oven-high"), "unacknowledged");
    ASSERT_OK_AND_ASSIGN(
        AlarmEvent ack,
        m.Act({"oven-high", AlarmAction::kAcknowledge, {}, "li.wei", "on it"}, kStart + 5 * kSec1));
    EXPECT_EQ(ack.state, AlarmStateName::kAcknowledged);
    // Refused, saying why; an alarm not defined is not found.
    Result<AlarmEvent> again =
        m.Act({"oven-high", AlarmAction::kAcknowledge, {}, "li.wei", ""}, kStart + 6 * kSec1);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().message(),
              "cannot acknowledge alarm 'oven-high': it is acknowledged: nothing to acknowledge");
    EXPECT_EQ(m.Act({"nope", AlarmAction::kAcknowledge, {}, "x", ""}, kStart).status().code(),
              StatusCode::kNotFound);
    // The CLI's way: a request in events.db, applied by the next run.
    int64_t id;
    {
      EventSession session = hub_->OpenEvents();
      ASSERT_OK_AND_ASSIGN(
          id, session.alarm_journal().RequestAction({.alarm = "oven-high",
                                                     .action = "shelve",
                                                     .until = kStart + 3600 * kSec1,
                                                     .user = "zhang.min",
                                                     .comment = "burner serviced",
                                                     .requested_at = kStart + 7 * kSec1}));
    }
    ASSERT_OK(m.RunOnce(kStart + 8 * kSec1));
    EXPECT_EQ(StateOf(m, "oven-high"), "shelved");
    {
      EventSession session = hub_->OpenEvents();
      ASSERT_OK_AND_ASSIGN(std::optional<AlarmActionRequest> done,
                           session.alarm_journal().Action(id));
      ASSERT_TRUE(done && done->outcome);
      EXPECT_EQ(*done->outcome, "applied");
    }
    m.Stop();
  }
  // A new server continues: still shelved; the shelve expires an hour after it began.
  AlarmMonitor next(*hub_, config);
  ASSERT_OK(next.Load(kStart + 10 * kSec1));
  EXPECT_EQ(StateOf(next, "oven-high"), "shelved");
  next.Observe(Values("oven.temp", 20, {220}));  // clears while shelved
  ASSERT_OK(next.RunOnce(kStart + 3700 * kSec1));
  EXPECT_EQ(StateOf(next, "oven-high"), "normal");
  const std::vector<std::string> expected = {
      "oven-high activated unacknowledged @1",
      "oven-high acknowledged acknowledged by li.wei: on it @5",
      "oven-high shelved shelved by zhang.min: burner serviced @8",
      "oven-high cleared shelved @20",
      "oven-high unshelved normal @3600",
  };
  EXPECT_EQ(Journal(), expected);
}

TEST_F(AlarmMonitorTest, TimeMakesATagStaleAndSuppressionHolds) {
  TimestampNs clock = kStart + 2 * kSec1;  // the values arrive as they are made
  AlarmMonitor m(*hub_, Config(), {.clock = [&] { return clock; }});
  ASSERT_OK(m.Load(kStart));
  m.Observe(Values("feed", 0, {1, 2, 3}));
  ASSERT_OK(m.RunOnce(kStart + 20 * kSec1));
  EXPECT_EQ(StateOf(m, "feed-lost"), "normal");
  ASSERT_OK(m.RunOnce(kStart + 40 * kSec1));  // 38 s after the last value
  EXPECT_EQ(StateOf(m, "feed-lost"), "unacknowledged");
  // The oven stopped: too hot says nothing until it runs again.
  m.Observe(Values("oven.running", 50, {0}));
  m.Observe(Values("oven.temp", 51, {240, 241}));
  ASSERT_OK(m.RunOnce(kStart + 55 * kSec1));
  EXPECT_EQ(StateOf(m, "oven-high"), "suppressed");
  m.Observe(Values("oven.running", 60, {1}));
  ASSERT_OK(m.RunOnce(kStart + 61 * kSec1));
  EXPECT_EQ(StateOf(m, "oven-high"), "unacknowledged");
  EXPECT_EQ(m.status().kind, "alarms");
  EXPECT_EQ(m.status().alarms, 2);  // annunciated: the stale feed and the oven after release
  m.Stop();
}

// Delays and staleness run on the data's time, advanced by the server's clock since its
// last value came: old data written now (a backfill) is not stale while it keeps coming.
TEST_F(AlarmMonitorTest, ABackfillIsNotStaleWhileItKeepsComing) {
  TimestampNs clock = kStart + 86400 * kSec1;  // a day after the data
  AlarmMonitor m(*hub_, Config(), {.clock = [&] { return clock; }});
  ASSERT_OK(m.Load(clock));
  m.Observe(Values("feed", 0, {1, 2, 3}));
  ASSERT_OK(m.RunOnce(clock + 5 * kSec1));
  EXPECT_EQ(StateOf(m, "feed-lost"), "normal");
  ASSERT_OK(m.RunOnce(clock + 40 * kSec1));  // nothing came for 40 s
  EXPECT_EQ(StateOf(m, "feed-lost"), "unacknowledged");
  m.Stop();
}

TEST_F(AlarmMonitorTest, SpcEpisodesAreAnAlarm) {
  AlarmMonitor m(*hub_, Config());
  const TimestampNs now = NowNs();
  ASSERT_OK(m.Load(now));
  auto record = [&](int64_t ts_s, int64_t last_s, bool active, const char* rule = "nelson-1") {
    StoredSpcEvent e;
    e.characteristic = "bore";
    e.limits_version = 1;
    e.chart = "xbar";
    e.rule = rule;
    e.what = "test";
    e.first_ts = e.ts = kStart + ts_s * kSec1;
    e.last_ts = kStart + last_s * kSec1;
    e.points = 1;
    e.active = active;
    e.raised_at = NowNs();
    EventSession session = hub_->OpenEvents();
    ASSERT_OK(session.spc_events().Upsert(std::span<const StoredSpcEvent>(&e, 1)));
  };
  record(100, 100, true);
  ASSERT_OK(m.RunOnce(NowNs()));
  EXPECT_EQ(StateOf(m, "bore-spc"), "unacknowledged");
  ASSERT_OK(m.RunOnce(NowNs()));  // seen again (the overlap): nothing new
  record(100, 130, false);        // the episode ended
  ASSERT_OK(m.RunOnce(NowNs()));
  EXPECT_EQ(StateOf(m, "bore-spc"), "returned-unacknowledged");
  // Two seen in one poll, the first already ended after the second began: one alarm, still
  // active (the edges in time order, not the episodes one by one).
  record(300, 400, false);
  record(350, 360, true, "nelson-5");
  ASSERT_OK(m.RunOnce(NowNs()));
  EXPECT_EQ(StateOf(m, "bore-spc"), "unacknowledged");
  m.Stop();
  EXPECT_EQ(Journal(), (std::vector<std::string>{"bore-spc activated unacknowledged @100",
                                                 "bore-spc cleared returned-unacknowledged @130",
                                                 "bore-spc activated unacknowledged @300"}));
}

// A chattering alarm, live: flagged while it chatters, and 11 annunciations within 10
// minutes make a flood whose first-out is the alarm that began it; the flood ends as time
// passes (the monitor's status says so meanwhile).
TEST_F(AlarmMonitorTest, FlagsChatteringAndFloodsWithTheirFirstOut) {
  Result<AlarmConfig> config = AlarmConfig::Parse(R"(
alarms:
  - {name: valve-open, type: state, tag: valve, states: 1, priority: low}
  - {name: level-high, type: high, tag: level, limit: 5}
)",
                                                  "alarms.yaml");
  ASSERT_OK(config);
  TimestampNs clock = kStart + 120 * kSec1;
  AlarmMonitor m(*hub_, *config, {.clock = [&] { return clock; }});
  ASSERT_OK(m.Load(kStart));
  SampleBatch valve = Values("valve", 0, {1});  // the valve first, then the level flaps
  std::vector<double> flapping;
  for (int i = 0; i < 22; ++i)
    flapping.push_back(i % 2 == 0 ? 10 : 0);
  m.Observe(valve);
  m.Observe(Values("level", 5, flapping));  // 11 activations from 5 s to 25 s
  ASSERT_OK(m.RunOnce(clock));
  LiveAlarmStates live = m.StatesNow();
  EXPECT_FALSE(live.chattering[0]);
  EXPECT_TRUE(live.chattering[1]);
  ASSERT_TRUE(live.flood.active);
  EXPECT_EQ(live.flood.first_out, "valve-open");
  EXPECT_EQ(live.flood.first_out_at, kStart);
  EXPECT_EQ(live.flood.peak, 12);
  EXPECT_EQ(live.floods, 1u);
  EXPECT_EQ(m.status().state, "flood");

  clock = kStart + 11 * 60 * kSec1;  // the burst has left the 10-minute window
  ASSERT_OK(m.RunOnce(clock));
  live = m.StatesNow();
  EXPECT_FALSE(live.flood.active);
  EXPECT_EQ(live.floods, 2u);
  EXPECT_FALSE(live.chattering[1]);  // its data's clock has moved on too
  EXPECT_EQ(m.status().state, "monitoring");
}

}  // namespace
}  // namespace fh::analytics::alarms
