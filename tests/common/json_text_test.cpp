// JsonText writes any bytes as valid JSON (invalid UTF-8 replaced, never an exception), and
// the depth check measures nesting without recursing, so that depth cannot crash it.
#include "common/json_text.h"

#include <gtest/gtest.h>

namespace fh {
namespace {

TEST(JsonTextTest, InvalidUtf8IsReplacedNotThrown) {
  const nlohmann::json doc = {{"raw", std::string("ok\xff\xfe end")}};
  std::string text;
  ASSERT_NO_THROW(text = JsonText(doc));
  EXPECT_EQ(text, "{\"raw\":\"ok\xef\xbf\xbd\xef\xbf\xbd end\"}");
  // What was written reads back.
  EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded());
}

TEST(JsonTextTest, OrderedDocumentsToo) {
  nlohmann::ordered_json doc;
  doc["b"] = std::string("\xc3");  // a truncated sequence
  doc["a"] = 1;
  EXPECT_EQ(JsonText(doc), "{\"b\":\"\xef\xbf\xbd\",\"a\":1}");
  EXPECT_EQ(JsonText(doc, 1), "{\n \"b\": \"\xef\xbf\xbd\",\n \"a\": 1\n}");
}

TEST(JsonNestingDepthTest, CountsArraysAndObjects) {
  EXPECT_EQ(JsonNestingDepth("1"), 0u);
  EXPECT_EQ(JsonNestingDepth("[]"), 1u);
  EXPECT_EQ(JsonNestingDepth("[{}]"), 2u);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":[]}],"c":{}})"), 4u);
}

TEST(JsonNestingDepthTest, BracketsInStringsDoNotCount) {
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[{{{{"})"), 1u);
  EXPECT_EQ(JsonNestingDepth(R"(["\"[[[", "\\", [2]])"), 2u);
}

TEST(JsonNestingDepthTest, AMillionLevelsAreMeasuredWithoutRecursion) {
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_EQ(JsonNestingDepth(deep), 1'000'000u);
}

TEST(CheckJsonDepthTest, RefusesPastTheLimitNamingWhat) {
  EXPECT_TRUE(CheckJsonDepth(std::string(128, '[') + std::string(128, ']'), "body").ok());
  const std::string deep = std::string(50'000, '[') + std::string(50'000, ']');
  const Status s = CheckJsonDepth(deep, "request body");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "request body: JSON nested more than 128 levels deep");
}

}  // namespace
}  // namespace fh
