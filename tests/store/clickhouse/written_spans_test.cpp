// What a process remembers of a tag's stored times, to flag writes that may store a point
// twice: pure logic, no server.
#include "store/clickhouse/written_spans.h"

#include <gtest/gtest.h>

#include <limits>

namespace fh::clickhouse {
namespace {

TEST(WrittenSpansTest, BatchesArrivingOutOfOrderMeetNothing) {
  WrittenSpans spans;
  spans.Add(0, 4);
  spans.Add(10, 14);
  EXPECT_FALSE(spans.Meets(5, 9));  // the batch between them, late
  spans.Add(5, 9);
  EXPECT_TRUE(spans.Meets(4, 4));
  EXPECT_TRUE(spans.Meets(14, 20));
  EXPECT_TRUE(spans.Meets(-5, 0));
  EXPECT_FALSE(spans.Meets(15, 20));
  EXPECT_FALSE(spans.Meets(-5, -1));
}

TEST(WrittenSpansTest, SpansThatMeetAreJoined) {
  WrittenSpans spans;
  spans.Add(0, 4);
  spans.Add(10, 14);
  spans.Add(20, 24);
  EXPECT_EQ(spans.size(), 3u);
  spans.Add(3, 21);  // meets all three
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans.Meets(5, 5));
}

TEST(WrittenSpansTest, PastTheLimitTheClosestAreJoinedAndMayOnlyFlagMore) {
  WrittenSpans spans;
  // Spans at 0, 100, 200, ... with one gap much narrower than the others.
  for (int i = 0; i < 8; ++i)
    spans.Add(i * 100, i * 100 + 10);
  spans.Add(712, 720);  // 2 after 700..710: the closest pair
  EXPECT_EQ(spans.size(), WrittenSpans::kMaxSpans);
  EXPECT_TRUE(spans.Meets(711, 711));  // the gap joined counts as stored
  EXPECT_FALSE(spans.Meets(50, 60));   // other gaps are kept
  for (int i = 0; i < 8; ++i)
    EXPECT_TRUE(spans.Meets(i * 100 + 5, i * 100 + 5));
}

TEST(WrittenSpansTest, TheWholePastAsOneSpanAndExtremeTimes) {
  constexpr TimestampNs kMin = std::numeric_limits<TimestampNs>::min();
  constexpr TimestampNs kMax = std::numeric_limits<TimestampNs>::max() - 1;
  WrittenSpans spans;
  spans.Add(kMin, 1000);  // ClickHouse's newest time of a tag first heard of
  for (int i = 0; i < 10; ++i)
    spans.Add(kMax - 10 * (i + 1), kMax - 10 * i - 5);
  EXPECT_LE(spans.size(), WrittenSpans::kMaxSpans);
  EXPECT_TRUE(spans.Meets(kMin, kMin));
  EXPECT_FALSE(spans.Meets(2000, 3000));
  EXPECT_TRUE(spans.Meets(kMax - 7, kMax - 7));
}

}  // namespace
}  // namespace fh::clickhouse
