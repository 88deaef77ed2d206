// Topics and payloads to points: templates, number and JSON payloads, per-field objects,
// times, and the errors that send a message to quarantine.
#include "connect/topic_mapping.h"

#include <gtest/gtest.h>

#include "testing/batch_points.h"

namespace fh::connect {
namespace {

using Point = testing::BatchPoint;

std::vector<Point> Points(const SampleBatch& b) {
  return testing::BatchPoints(b);
}

TopicMapping Make(TopicMappingSpec spec) {
  Result<TopicMapping> m = TopicMapping::Make(std::move(spec));
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m).value();
}

TEST(TopicMappingTest, NumberPayloadsNamedByTheTagTemplate) {
  const TopicMapping m = Make({"plant/{line}/{machine}/{signal}", "{line}.{machine}.{signal}",
                               /*json=*/false});
  EXPECT_EQ(m.filter(), "plant/+/+/+");
  EXPECT_TRUE(m.Matches("plant/l2/m7/temp"));
  EXPECT_FALSE(m.Matches("plant/l2/m7"));
  EXPECT_FALSE(m.Matches("other/l2/m7/temp"));
  SampleBatch b;
  EXPECT_EQ(m.Decode("plant/l2/m7/temp", "71.5\n", 9, b), "");
  EXPECT_EQ(Points(b), (std::vector<Point>{{"l2.m7.temp", 9, 71.5}}));
  EXPECT_EQ(m.Decode("plant/l2/m7/temp", "hot", 9, b), "payload 'hot' is not a number");
  EXPECT_EQ(b.size(), 1u);
  // Without a tag template the topic is the tag.
  SampleBatch raw;
  EXPECT_EQ(Make({"plant/{line}/speed", "", false}).Decode("plant/l1/speed", "3", 1, raw), "");
  EXPECT_EQ(Points(raw)[0].tag, "plant/l1/speed");
}

TEST(TopicMappingTest, JsonPathsTimesAndPerFieldObjects) {
  const TopicMapping one = Make({"m/{id}", "{id}.temp", true, "data.temp", "ts"});
  SampleBatch b;
  EXPECT_EQ(one.Decode("m/7", R"({"ts": 1767225600123, "data": {"temp": 20.5}})", 0, b), "");
  EXPECT_EQ(one.Decode("m/7", R"({"ts": "2026-01-01T00:00:01Z", "data": {"temp": 21}})", 0, b), "");
  EXPECT_EQ(Points(b), (std::vector<Point>{{"7.temp", 1767225600123000000, 20.5},
                                           {"7.temp", 1767225601000000000, 21}}));
  EXPECT_EQ(one.Decode("m/7", R"({"data": {"temp": 1}})", 0, b), "payload has no 'ts' (the time)");
  EXPECT_EQ(one.Decode("m/7", R"({"ts": 1, "data": {"temp": "x"}})", 0, b),
            "'data.temp' is not a number");
  EXPECT_EQ(one.Decode("m/7", "{", 0, b), "payload is not JSON");

  const TopicMapping fields =
      Make({"plant/{line}/{machine}", "{line}.{machine}.{field}", true, ""});
  SampleBatch f;
  EXPECT_EQ(
      fields.Decode("plant/l2/m7", R"({"temperature": 71.5, "speed": 1480, "mode": "auto"})", 5, f),
      "");
  EXPECT_EQ(Points(f),
            (std::vector<Point>{{"l2.m7.speed", 5, 1480}, {"l2.m7.temperature", 5, 71.5}}));
  EXPECT_EQ(fields.Decode("plant/l2/m7", R"({"mode": "auto"})", 5, f), "'' holds no number");
}

TEST(TopicMappingTest, TemplatesAreChecked) {
  EXPECT_EQ(TopicMapping::Make({"plant/{line}/x", "{line}.{machine}"}).status().message(),
            "tag '{line}.{machine}': {machine} is not a name of the topic 'plant/{line}/x'");
  EXPECT_EQ(TopicMapping::Make({"plant/#", ""}).status().message(),
            "topic 'plant/#': '#' is neither a level nor a whole {name}");
  EXPECT_EQ(TopicMapping::Make({"a/{x}", "{x}.{field}", false}).status().message(),
            "tag '{x}.{field}': {field} needs a JSON payload");
}

}  // namespace
}  // namespace fh::connect
