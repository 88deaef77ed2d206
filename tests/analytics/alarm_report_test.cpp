// The alarm performance report (analytics/alarms/alarm_report.h) on a journal worked by
// hand: an hour, four alarms annunciated 16 times, one flood, one chattering alarm, one
// fleeting activation, one activation while shelved.
#include <gtest/gtest.h>

#include "analytics/alarms/alarm_report.h"

namespace fh::analytics::alarms {
namespace {

constexpr int64_t kSec = kNanosPerSecond;
constexpr int64_t kMin = kNanosPerMinute;

class AlarmReportTest : public ::testing::Test {
 protected:
  void Raise(std::string_view alarm, Priority p, int64_t at, int64_t cleared_after = -1,
             bool annunciated = true) {
    journal_.push_back({alarm, {}, p, {AlarmEventKind::kActivated, at, {}, annunciated}});
    if (cleared_after >= 0) {
      journal_.push_back({alarm, {}, p, {AlarmEventKind::kCleared, at + cleared_after, {}, false}});
    }
  }
  void SetUp() override {
    // a: three times within a minute (chattering), the first cleared after half a second.
    Raise("a", Priority::kLow, 10 * kSec, kSec / 2);
    Raise("a", Priority::kLow, 30 * kSec, 10 * kSec);
    Raise("a", Priority::kLow, 50 * kSec, 5 * kSec);
    Raise("d", Priority::kCritical, 5 * kMin);  // never clears
    Raise("b", Priority::kHigh, 12 * kMin, kMin);
    for (int i = 0; i < 11; ++i)  // c: 11 in the third 10 minutes, every 30 s: a flood
      Raise("c", Priority::kMedium, 20 * kMin + i * 30 * kSec, 10 * kSec);
    Raise("e", Priority::kHigh, 40 * kMin, kMin, /*annunciated=*/false);  // shelved
    std::stable_sort(journal_.begin(), journal_.end(),
                     [](const auto& x, const auto& y) { return x.event.ts < y.event.ts; });
  }
  std::vector<JournalEntry> journal_;
  const TimeRange hour_{0, 60 * kMin};
};

TEST_F(AlarmReportTest, TheFiguresWorkedByHand) {
  const AlarmReport r = ReportAlarms(journal_, hour_);
  EXPECT_EQ(r.annunciated, 16);
  EXPECT_DOUBLE_EQ(r.per_operator_per_10_minutes, 16.0 / 6);
  EXPECT_DOUBLE_EQ(r.per_operator_per_hour, 16);
  EXPECT_DOUBLE_EQ(r.per_operator_per_day, 384);
  EXPECT_EQ(r.periods, 6);
  EXPECT_EQ(r.periods_in_flood, 1);
  EXPECT_DOUBLE_EQ(r.flood_percent, 100.0 / 6);
  EXPECT_DOUBLE_EQ(r.peak_in_period, 11);
  EXPECT_EQ(r.peak_at, 20 * kMin);
  ASSERT_EQ(r.bad_actors.size(), 4u);
  EXPECT_EQ(r.bad_actors[0].alarm, "c");
  EXPECT_EQ(r.bad_actors[0].count, 11);
  EXPECT_DOUBLE_EQ(r.bad_actors[0].share, 11.0 / 16);
  EXPECT_EQ(r.bad_actors[1].alarm, "a");
  EXPECT_DOUBLE_EQ(r.bad_actors_share, 1);
  ASSERT_EQ(r.chattering.size(), 1u);
  EXPECT_EQ(r.chattering[0].alarm, "a");
  EXPECT_EQ(r.chattering[0].count, 3);
  EXPECT_EQ(r.fleeting, 1);
  EXPECT_TRUE(r.stale.empty());  // d has been active for 55 minutes only
  EXPECT_EQ(r.by_priority[static_cast<size_t>(Priority::kCritical)], 1);
  EXPECT_EQ(r.by_priority[static_cast<size_t>(Priority::kHigh)], 1);
  EXPECT_EQ(r.by_priority[static_cast<size_t>(Priority::kMedium)], 11);
  EXPECT_EQ(r.by_priority[static_cast<size_t>(Priority::kLow)], 3);
  EXPECT_EQ(r.suppressed_activations, 1);
}

TEST_F(AlarmReportTest, TheThresholdsAreOptions) {
  // Two operators share the load: 5.5 each in the busiest period is no flood.
  AlarmReport two = ReportAlarms(journal_, hour_, {.operators = 2});
  EXPECT_DOUBLE_EQ(two.per_operator_per_10_minutes, 16.0 / 12);
  EXPECT_EQ(two.periods_in_flood, 0);
  EXPECT_DOUBLE_EQ(two.peak_in_period, 5.5);
  // Top 2, stale after 30 minutes, chattering at 4 within a minute.
  AlarmReport strict =
      ReportAlarms(journal_, hour_, {.chatter_count = 4, .stale_ns = 30 * kMin, .top = 2});
  ASSERT_EQ(strict.bad_actors.size(), 2u);
  EXPECT_DOUBLE_EQ(strict.bad_actors_share, 14.0 / 16);
  EXPECT_TRUE(strict.chattering.empty());
  EXPECT_EQ(strict.stale, std::vector<std::string>{"d"});
}

TEST_F(AlarmReportTest, OnlyTheRangeCounts) {
  const AlarmReport first = ReportAlarms(journal_, TimeRange{0, 10 * kMin});
  EXPECT_EQ(first.annunciated, 4);  // a three times and d
  EXPECT_EQ(first.periods, 1);
}

}  // namespace
}  // namespace fh::analytics::alarms
