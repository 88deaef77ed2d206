// Alarms evaluated over stored history (analytics/alarms/alarm_history.h) on a real hub: a
// high alarm with an on-delay and a deadband, suppressed by design while its machine is
// stopped; a deviation from a set-point tag whose value was set before the range; a feed
// that goes stale; an SPC characteristic's overlapping episodes. Worked by hand, and the
// same whatever the window the history is read in.
#include <gtest/gtest.h>

#include "analytics/alarms/alarm_history.h"
#include "store/event_session.h"
#include "store/models/spc_event_store.h"
#include "testing/hub_test.h"

namespace fh::analytics::alarms {
namespace {

constexpr TimestampNs kT0 = 1767225600'000000000;  // 2026-01-01
constexpr int64_t kOneSecond = kNanosPerSecond;

class AlarmHistoryTest : public fh::testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    SampleBatch b;
    auto at = [](int64_t s) { return kT0 + s * kOneSecond; };
    for (int64_t s = 0; s < 600; ++s) {
      const bool hot = (s >= 100 && s < 160) || (s >= 400 && s < 460) || (s >= 500 && s < 505);
      b.Add("oven.temp", at(s), hot ? 240 : 200);
    }
    b.Add("oven.running", at(0), 1);
    b.Add("oven.running", at(380), 0);
    b.Add("oven.running", at(480), 1);
    for (int64_t s = 0; s < 600; s += 10)
      b.Add("p.pv", at(s), 50);
    b.Add("p.sp", at(-60), 50);  // before the range
    b.Add("p.sp", at(300), 60);
    for (int64_t s = 0; s < 600; s += 5) {
      if (s <= 200 || s >= 400) b.Add("feed", at(s), static_cast<double>(s));
    }
    ASSERT_OK(hub_->storage().Write(b));
    std::vector<StoredSpcEvent> episodes;
    auto episode = [&](int64_t ts, int64_t last, bool active) {
      StoredSpcEvent e;
      e.characteristic = "bore";
      e.limits_version = 1;
      e.chart = "i";
      e.rule = ts == 140 ? "nelson-2" : "nelson-1";
      e.what = "test";
      e.first_ts = e.ts = at(ts);
      e.last_ts = at(last);
      e.points = 1;
      e.value = 10;
      e.active = active;
      episodes.push_back(e);
    };
    episode(120, 150, false);
    episode(140, 200, false);  // overlaps the first: one alarm from 120 to 200
    episode(300, 300, false);  // one point
    episode(550, 560, true);   // still open
    EventSession session = hub_->OpenEvents();
    ASSERT_OK(session.spc_events().Upsert(std::span<const StoredSpcEvent>(episodes)));
    Result<AlarmConfig> c = AlarmConfig::Parse(R"(
alarms:
  - {name: oven-high, type: high, tag: oven.temp, limit: 230, deadband: 5, on_delay: 10s,
     priority: high, suppressed_when: {tag: oven.running, states: 0}}
  - {name: off-setpoint, type: deviation, tag: p.pv, setpoint: p.sp, limit: 5}
  - {name: feed-lost, type: stale, tag: feed, after: 30s, priority: critical}
  - {name: bore-spc, type: spc, characteristic: bore, priority: low}
  - {name: nothing-yet, type: high, tag: no.such.tag, limit: 1}
)",
                                               "alarms.yaml");
    ASSERT_OK(c);
    config_ = *c;
  }

  std::vector<std::string> Journal(HistoryOptions options = {}) {
    Result<std::vector<JournalEntry>> j =
        EvaluateHistory(*hub_, config_, TimeRange{kT0, kT0 + 600 * kOneSecond}, options);
    EXPECT_OK(j);
    std::vector<std::string> out;
    for (const JournalEntry& e : j.ok() ? *j : std::vector<JournalEntry>{}) {
      out.push_back(fmt::format("{} {}{} @{} {}", e.alarm, AlarmEventText(e.event.kind),
                                e.event.annunciated ? "*" : "", (e.event.ts - kT0) / kOneSecond,
                                AlarmStateText(e.event.state)));
    }
    return out;
  }

  AlarmConfig config_;
};

TEST_F(AlarmHistoryTest, TheJournalWorkedByHand) {
  const std::vector<std::string> expected = {
      "oven-high activated* @110 unacknowledged",  // above 230 from 100, on-delay 10 s
      "bore-spc activated* @120 unacknowledged",
      "oven-high cleared @160 returned-unacknowledged",
      "bore-spc cleared @200 returned-unacknowledged",  // the second episode's end
      "feed-lost activated* @230 unacknowledged",       // 30 s after its value at 200
      "off-setpoint activated* @300 unacknowledged",    // the set-point moved to 60
      "bore-spc activated* @300 unacknowledged",
      "bore-spc cleared @300 returned-unacknowledged",
      "oven-high suppressed @380 suppressed",  // the oven stopped
      "feed-lost cleared @400 returned-unacknowledged",
      "oven-high activated @410 suppressed",  // hot while stopped: not annunciated
      "oven-high cleared @460 suppressed",
      "oven-high unsuppressed @480 normal",
      "bore-spc activated* @550 unacknowledged",  // 500-504 is shorter than the on-delay
  };
  EXPECT_EQ(Journal(), expected);
  // Read a minute at a time: the same.
  EXPECT_EQ(Journal({.window_ns = 60 * kOneSecond}), expected);
  EXPECT_EQ(Journal({.window_ns = 7 * kOneSecond}), expected);
}

TEST_F(AlarmHistoryTest, TheRangeMustBeBounded) {
  EXPECT_FALSE(EvaluateHistory(*hub_, config_, TimeRange{}).ok());
  EXPECT_FALSE(EvaluateHistory(*hub_, config_, TimeRange{kT0, kT0}).ok());
}

}  // namespace
}  // namespace fh::analytics::alarms
