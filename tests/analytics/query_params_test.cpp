// ParseQueryParams and the tag glob: the query semantics the CLI and the API share.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/query.h"
#include "common/glob.h"
#include "common/time.h"
#include "testing/status_matchers.h"

namespace fh::analytics {
namespace {

struct GlobCase {
  const char* pattern;
  const char* name;
  bool match;
};

TEST(GlobMatch, Table) {
  const GlobCase cases[] = {
      {"*", "", true},
      {"*", "line-1.press-01.temperature", true},
      {"line-1.*", "line-1.press-01.temperature", true},
      {"line-1.*", "line-10.press-01.temperature", false},
      {"line-?.press-01.*", "line-2.press-01.speed", true},
      {"*.temperature", "line-1.press-01.temperature", true},
      {"*.temperature", "line-1.press-01.temperature2", false},
      {"*press*", "line-1.press-01.temperature", true},
      {"a*b*c", "aXbYc", true},
      {"a*b*c", "aXbYcZ", false},
      {"abc", "abc", true},
      {"abc", "abcd", false},
      {"?", "", false},
      {"a**", "a", true},
  };
  for (const GlobCase& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.name), c.match) << c.pattern << " vs " << c.name;
  }
  EXPECT_TRUE(IsGlob("line-1.*"));
  EXPECT_TRUE(IsGlob("a?"));
  EXPECT_FALSE(IsGlob("line-1.press-01.temperature"));
}

TEST(ParseAggList, KeepsOrderDropsRepeats) {
  auto aggs = ParseAggList("max, mean,max,count");
  ASSERT_OK(aggs);
  EXPECT_EQ(*aggs, (std::vector<Agg>{kAggMax, kAggMean, kAggCount}));
  auto bad = ParseAggList("mean,median");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("'median'"));
  EXPECT_FALSE(ParseAggList("").ok());
  EXPECT_FALSE(ParseAggList("mean,").ok());
}

constexpr TimestampNs kNow = 1772352000 * kNanosPerSecond;  // 2026-03-01T08:00:00Z

struct ParamCase {
  const char* name;
  QueryParams params;
  const char* bad_field;  // "" when the params are valid
};

TEST(ParseQueryParams, ErrorsNameTheField) {
  const ParamCase cases[] = {
      {"ok", {.tags = {"a"}}, ""},
      {"no tag", {}, "tag"},
      {"empty tag", {.tags = {""}}, "tag"},
      {"bad from", {.tags = {"a"}, .from = "soon"}, "from"},
      {"bad to", {.tags = {"a"}, .to = "2026-02-30"}, "to"},
      {"reversed", {.tags = {"a"}, .from = "now", .to = "now-1m"}, "to"},
      {"equal", {.tags = {"a"}, .from = "now", .to = "now"}, "to"},
      {"bad every", {.tags = {"a"}, .every = "1"}, "every"},
      {"zero every", {.tags = {"a"}, .every = "0s"}, "every"},
      {"bad agg", {.tags = {"a"}, .agg = "avg"}, "agg"},
      {"bad limit", {.tags = {"a"}, .limit = "10x"}, "limit"},
      {"zero limit", {.tags = {"a"}, .limit = "0"}, "limit"},
  };
  for (const ParamCase& c : cases) {
    std::string field;
    auto req = ParseQueryParams(c.params, kNow, &field);
    if (*c.bad_field == '\0') {
      EXPECT_OK(req) << c.name << ": " << req.status().ToString();
    } else {
      EXPECT_EQ(req.status().code(), StatusCode::kInvalidArgument) << c.name;
      EXPECT_EQ(field, c.bad_field) << c.name;
    }
  }
}

TEST(ParseQueryParams, Defaults) {
  std::string field;
  auto raw = ParseQueryParams({.tags = {"a"}}, kNow, &field);
  ASSERT_OK(raw);
  EXPECT_FALSE(raw->aggregated());
  EXPECT_EQ(raw->range.from, TimeRange{}.from);
  EXPECT_EQ(raw->range.to, TimeRange{}.to);
  EXPECT_EQ(raw->limit, 0);

  auto every = ParseQueryParams({.tags = {"a"}, .from = "now-1h", .every = "1m"}, kNow, &field);
  ASSERT_OK(every);
  EXPECT_EQ(every->aggs, std::vector<Agg>{kAggMean});
  EXPECT_EQ(every->every, kNanosPerMinute);
  EXPECT_EQ(every->range.from, kNow - kNanosPerHour);

  auto whole = ParseQueryParams({.tags = {"a"}, .agg = "min,max"}, kNow, &field);
  ASSERT_OK(whole);
  EXPECT_EQ(whole->every, 0);
  EXPECT_EQ(whole->aggs, (std::vector<Agg>{kAggMin, kAggMax}));
}

}  // namespace
}  // namespace fh::analytics
