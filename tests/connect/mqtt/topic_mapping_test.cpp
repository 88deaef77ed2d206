// Topics and payloads to points: templates, number and JSON payloads, per-field objects,
// times, and the errors that send a message to quarantine.
#include "connect/mqtt/topic_mapping.h"

#include <array>

#include <gtest/gtest.h>

#include "testing/batch_points.h"
#include "testing/status_matchers.h"

namespace fh::connect {
namespace {

using Point = testing::BatchPoint;

std::vector<Point> Points(const SampleBatch& b) {
  return testing::BatchPoints(b);
}

TopicMapping Make(TopicMappingSpec spec) {
  Result<TopicMapping> m = TopicMapping::Make(std::move(spec));
  EXPECT_OK(m);
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
            "'data.temp' is text (\"x\"), not a number");
  EXPECT_EQ(one.Decode("m/7", "{", 0, b), "payload is not JSON (at byte 2)");
  // Times out of range are refused, not wrapped.
  EXPECT_EQ(one.Decode("m/7", R"({"ts": 18446744073709551615, "data": {"temp": 1}})", 0, b),
            "'ts': out of range");
  EXPECT_EQ(one.Decode("m/7", R"({"ts": 9223372036854775807, "data": {"temp": 1}})", 0, b),
            "'ts': out of range");
  EXPECT_EQ(one.Decode("m/7", R"({"ts": 1e300, "data": {"temp": 1}})", 0, b), "'ts': out of range");
  EXPECT_EQ(b.size(), 2u);

  const TopicMapping fields =
      Make({"plant/{line}/{machine}", "{line}.{machine}.{field}", true, ""});
  SampleBatch f;
  int64_t skipped = 0;
  EXPECT_EQ(fields.Decode("plant/l2/m7",
                          R"({"temperature": 71.5, "speed": 1480, "mode": "auto", "at": null})", 5,
                          f, &skipped),
            "");
  EXPECT_EQ(Points(f),
            (std::vector<Point>{{"l2.m7.speed", 5, 1480}, {"l2.m7.temperature", 5, 71.5}}));
  EXPECT_EQ(skipped, 2);  // "mode" and "at": not stored, but counted
  EXPECT_EQ(fields.Decode("plant/l2/m7", R"({"mode": "auto"})", 5, f, &skipped),
            "'' holds no number");
  EXPECT_EQ(skipped, 2);  // a quarantined message is no skipped value

  // The time inside the object of signals is not a signal.
  const TopicMapping nested =
      Make({"plant/{line}/{machine}", "{line}.{machine}.{field}", true, "data", "data.ts"});
  SampleBatch n;
  EXPECT_EQ(nested.Decode("plant/l2/m7", R"({"data": {"ts": 1767225600000, "speed": 3}})", 0, n),
            "");
  EXPECT_EQ(Points(n), (std::vector<Point>{{"l2.m7.speed", 1767225600000000000, 3}}));
}

// Every payload mode reads values by line protocol's rules (src/ingest/line_protocol.cpp):
// booleans are 1 and 0, NaN and infinities are refused, surrounding white space does not
// matter, one leading sign is allowed where the format allows it (JSON has no '+').
// Whatever is not stored is refused with a reason (the connector quarantines it).
enum class Mode { kNumber, kJsonPath, kJsonWhole, kJsonFields };

struct PayloadCase {
  std::string token;                  // the value as written in the payload
  std::array<std::string, 4> expect;  // per mode: a number, or "!" + the error's start
};

std::string PayloadOf(Mode mode, const std::string& token) {
  switch (mode) {
    case Mode::kNumber:
    case Mode::kJsonWhole:
      return token;
    case Mode::kJsonPath:
      return R"({"data": {"v": )" + token + "}}";
    case Mode::kJsonFields:
      return R"({"v": )" + token + "}";
  }
  return {};
}

TopicMapping MappingOf(Mode mode) {
  switch (mode) {
    case Mode::kNumber:
      return Make({"m/{id}", "{id}.v", false});
    case Mode::kJsonPath:
      return Make({"m/{id}", "{id}.v", true, "data.v"});
    case Mode::kJsonWhole:
      return Make({"m/{id}", "{id}.v", true, ""});
    case Mode::kJsonFields:
      return Make({"m/{id}", "{id}.{field}", true, ""});
  }
  return Make({"m/{id}", "{id}.v", false});
}

TEST(TopicMappingTest, EveryPayloadModeReadsValuesByLineProtocolRules) {
  const std::string kNotJson = "!payload is not JSON";
  const std::string kRange = "!payload holds a number out of the range of a double";
  // number, JSON at a path, JSON as a whole, {field} object
  const std::vector<PayloadCase> cases = {
      {"71.5", {"71.5", "71.5", "71.5", "71.5"}},
      {"-3", {"-3", "-3", "-3", "-3"}},
      {"+3", {"3", kNotJson, kNotJson, kNotJson}},
      {"1e3", {"1000", "1000", "1000", "1000"}},
      {" \t71.5\r\n", {"71.5", "71.5", "71.5", "71.5"}},
      {"true", {"1", "1", "1", "1"}},
      {"false", {"0", "0", "0", "0"}},
      {"t", {"1", kNotJson, kNotJson, kNotJson}},
      {"FALSE", {"0", kNotJson, kNotJson, kNotJson}},
      {"nan", {"!payload 'nan' is not a finite number", kNotJson, kNotJson, kNotJson}},
      {"NaN", {"!payload 'NaN' is not a finite number", kNotJson, kNotJson, kNotJson}},
      {"inf", {"!payload 'inf' is not a finite number", kNotJson, kNotJson, kNotJson}},
      {"-Infinity", {"!payload '-Infinity' is not a finite number", kNotJson, kNotJson, kNotJson}},
      {"1e999", {"!payload '1e999' is out of the range of a double", kRange, kRange, kRange}},
      {"+-5", {"!payload '+-5' is not a number", kNotJson, kNotJson, kNotJson}},
      {"--5", {"!payload '--5' is not a number", kNotJson, kNotJson, kNotJson}},
      {"0x10", {"!payload '0x10' is not a number", kNotJson, kNotJson, kNotJson}},
      {"12i", {"!payload '12i' is not a number", kNotJson, kNotJson, kNotJson}},
      {"\"71.5\"",
       {"!payload '\"71.5\"' is not a number", "!'data.v' is text (\"71.5\"), not a number",
        "!'' is text (\"71.5\"), not a number", "!'' holds no number"}},
      {"null",
       {"!payload 'null' is not a number", "!'data.v' is null, not a number",
        "!'' is null, not a number", "!'' holds no number"}},
      {"", {"!payload is empty", kNotJson, kNotJson, kNotJson}},
      {" ", {"!payload is empty", kNotJson, kNotJson, kNotJson}},
  };
  const std::array<const char*, 4> names = {"number", "json path", "json whole", "json {field}"};
  for (const PayloadCase& c : cases) {
    for (size_t mode = 0; mode < 4; ++mode) {
      const TopicMapping m = MappingOf(static_cast<Mode>(mode));
      const std::string payload = PayloadOf(static_cast<Mode>(mode), c.token);
      SCOPED_TRACE(std::string(names[mode]) + " payload [" + payload + "]");
      SampleBatch b;
      const std::string error = m.Decode("m/7", payload, 9, b);
      const std::string& want = c.expect[mode];
      if (want.starts_with("!")) {
        EXPECT_TRUE(error.starts_with(want.substr(1))) << "error: " << error;
        EXPECT_EQ(b.size(), 0u);
      } else {
        EXPECT_EQ(error, "");
        EXPECT_EQ(Points(b), (std::vector<Point>{{"7.v", 9, std::stod(want)}}));
      }
    }
  }
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
