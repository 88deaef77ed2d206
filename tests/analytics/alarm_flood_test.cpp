// Live floods and chattering (analytics/alarms/alarm_flood.h) on hand-made sequences:
// EEMUA 191's thresholds, more than 10 annunciations in 10 minutes begin a flood, fewer than
// 5 end it; 3 activations within a minute are chattering.
#include <gtest/gtest.h>

#include "analytics/alarms/alarm_flood.h"

namespace fh::analytics::alarms {
namespace {

constexpr TimestampNs kFloodT0 = 1767225600'000000000;  // 2026-01-01
constexpr int64_t kFloodS = kNanosPerSecond;

TEST(FloodTrackerTest, ElevenWithinTenMinutesBeginAFloodWhoseFirstOutOpenedTheWindow) {
  FloodTracker t;
  // A lone alarm long before: out of the window by the time the burst comes.
  EXPECT_FALSE(t.Annunciated(99, kFloodT0));
  for (uint32_t i = 0; i < 10; ++i)  // ten, a minute apart from minute 20 on: not a flood
    EXPECT_FALSE(t.Annunciated(i, kFloodT0 + (1200 + 60 * i) * kFloodS)) << i;
  EXPECT_FALSE(t.flood());
  EXPECT_EQ(t.in_window(), 10);
  EXPECT_TRUE(t.Annunciated(10, kFloodT0 + 1790 * kFloodS));  // the eleventh within 10 minutes
  ASSERT_TRUE(t.flood());
  EXPECT_EQ(t.flood()->first_out, 0u);
  EXPECT_EQ(t.flood()->first_out_at, kFloodT0 + 1200 * kFloodS);
  EXPECT_EQ(t.flood()->since, kFloodT0 + 1790 * kFloodS);
  EXPECT_EQ(t.flood()->peak, 11);
  EXPECT_FALSE(t.Annunciated(11, kFloodT0 + 1795 * kFloodS));  // the same flood goes on
  EXPECT_EQ(t.flood()->peak, 12);
  // Time passes: at 1200 + 600 + 60*7 s, the annunciations of minutes 20..27 have left the
  // window: 12 - 8 = 4 remain, fewer than 5: the flood ends.
  EXPECT_FALSE(t.Tick(kFloodT0 + (1800 + 60 * 6) * kFloodS));  // 5 remain
  EXPECT_TRUE(t.flood());
  EXPECT_TRUE(t.Tick(kFloodT0 + (1800 + 60 * 7) * kFloodS));
  EXPECT_FALSE(t.flood());
  EXPECT_FALSE(t.Tick(kFloodT0 + (1800 + 60 * 8) * kFloodS));  // ended once
}

TEST(ChatterDetectorTest, ThreeActivationsWithinAMinute) {
  ChatterDetector c;
  c.Activated(kFloodT0);
  c.Activated(kFloodT0 + 20 * kFloodS);
  EXPECT_FALSE(c.Chattering(kFloodT0 + 21 * kFloodS));  // two
  c.Activated(kFloodT0 + 59 * kFloodS);
  EXPECT_TRUE(c.Chattering(kFloodT0 + 60 * kFloodS));
  EXPECT_TRUE(c.Chattering(kFloodT0 + 119 * kFloodS));   // the last within a minute
  EXPECT_FALSE(c.Chattering(kFloodT0 + 120 * kFloodS));  // quiet for a minute
  ChatterDetector slow;
  for (int i = 0; i < 5; ++i)
    slow.Activated(kFloodT0 + 31 * i * kFloodS);  // any three span 62 s
  EXPECT_FALSE(slow.Chattering(kFloodT0 + 125 * kFloodS));
}

}  // namespace
}  // namespace fh::analytics::alarms
