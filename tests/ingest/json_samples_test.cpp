// JSON samples read on their own (POST /api/v1/samples tests them through the server).
#include "ingest/json_samples.h"

#include <gtest/gtest.h>

#include <string>

namespace fh::ingest {
namespace {

TEST(JsonSamplesTest, KeepsGoodElementsAndSaysWhatIsWrongWithTheOthers) {
  SampleBatch batch;
  const JsonSamples r = ReadJsonSamples(
      R"({"samples": [{"tag": "a", "ts": "2026-01-01T00:00:00Z", "value": 1.5},
                      {"tag": "", "value": 1},
                      {"tag": "b", "value": 2, "quality": 256},
                      {"tag": "c", "value": 3, "quality": 64, "unit": "C"},
                      {"tag": "d", "value": 4}]})",
      /*now=*/77, batch);
  ASSERT_EQ(r.body, JsonSamples::Body::kSamples);
  EXPECT_EQ(r.elements, 5u);
  EXPECT_EQ(r.batch_index, (std::vector<size_t>{0, 4}));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.ts()[0], 1767225600000000000);
  EXPECT_EQ(batch.ts()[1], 77);  // no ts: the time of arrival
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].index, 1u);
  EXPECT_EQ(r.errors[0].message, "field 'tag': missing or not a string");
  EXPECT_EQ(r.errors[1].message, "field 'quality': a whole number from 0 to 255");
  EXPECT_EQ(r.errors[2].message, "field 'unit': unknown (tag, ts, value, quality)");
  EXPECT_EQ(r.errors[2].raw, R"({"quality":64,"tag":"c","unit":"C","value":3})");
}

TEST(JsonSamplesTest, RefusesBodiesThatAreNotSamples) {
  SampleBatch batch;
  EXPECT_EQ(ReadJsonSamples(R"({"points": []})", 0, batch).body, JsonSamples::Body::kNotSamples);
  const std::string deep = std::string(20, '[') + std::string(20, ']');
  const JsonSamples r = ReadJsonSamples(deep, 0, batch);
  EXPECT_EQ(r.body, JsonSamples::Body::kTooDeep);
  EXPECT_EQ(r.body_error, "the body nests 20 levels deep; JSON samples nest at most 8");
  EXPECT_EQ(batch.size(), 0u);
}

}  // namespace
}  // namespace fh::ingest
