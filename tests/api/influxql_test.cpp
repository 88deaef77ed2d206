// InfluxQL's pure parts: the parser, the tag names read as measurements, Go's number and string
// forms in the JSON, and the functions. (Answers against InfluxDB itself:
// tests/interop/influxql.test.mjs.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "api/influxql/functions.h"
#include "api/influxql/parser.h"
#include "api/influxql/result.h"
#include "api/influxql/series_index.h"

namespace fh::api::influxql {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1767225600'000'000'000;  // 2026-01-01T00:00:00Z

SelectStatement ParseSelect(std::string_view q) {
  Result<std::vector<Statement>> s = Parse(q, kNow);
  EXPECT_TRUE(s.ok()) << s.status().message();
  if (!s.ok()) return {};
  EXPECT_EQ(s->size(), 1u);
  return std::get<SelectStatement>(s->front());
}

TEST(InfluxQlParser, ReadsGrafanasQuery) {
  const SelectStatement s = ParseSelect(
      R"(SELECT mean("value") AS "avg" FROM "autogen"."cpu" WHERE ("host" =~ /^(a|b)$/) AND )"
      R"(time >= 1767225600000ms and time <= 1767229199999ms GROUP BY time(10s), "host"::tag fill(null))");
  ASSERT_EQ(s.fields.size(), 1u);
  EXPECT_EQ(s.fields[0].function, "mean");
  EXPECT_EQ(s.fields[0].field, "value");
  EXPECT_EQ(s.fields[0].alias, "avg");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].name, "cpu");
  EXPECT_EQ(s.where.time.lo, kNow);
  EXPECT_EQ(s.where.time.hi, kNow + 3'599'999'000'000);
  EXPECT_EQ(s.interval, 10'000'000'000);
  EXPECT_EQ(s.group_tags, std::vector<std::string>{"host"});
  EXPECT_EQ(s.fill, Fill::kNull);
  EXPECT_TRUE(s.where.tags.Matches({{"host", "a"}}));
  EXPECT_FALSE(s.where.tags.Matches({{"host", "c"}}));
  EXPECT_FALSE(s.where.tags.Matches({}));
}

TEST(InfluxQlParser, TimeBoundsAreInclusiveAndStrictOnesMoveByOneNanosecond) {
  SelectStatement s =
      ParseSelect("SELECT v FROM m WHERE time > now() - 1h AND time < '2026-01-01'");
  EXPECT_EQ(s.where.time.lo, kNow - 3'600'000'000'000 + 1);
  EXPECT_EQ(s.where.time.hi, kNow - 1);
  s = ParseSelect("select v from m where time = '2026-01-01 00:00:01' limit 3 offset 2");
  EXPECT_EQ(s.where.time.lo, kNow + 1'000'000'000);
  EXPECT_EQ(s.where.time.hi, kNow + 1'000'000'000);
  EXPECT_EQ(s.limit, 3);
  EXPECT_EQ(s.offset, 2);
  s = ParseSelect("SELECT v FROM m WHERE time >= 1767225600000000000 ORDER BY time DESC");
  EXPECT_EQ(s.where.time.lo, kNow);
  EXPECT_TRUE(s.descending);
}

TEST(InfluxQlParser, FillOffsetsAndGroupByStar) {
  SelectStatement s =
      ParseSelect("SELECT max(v) FROM m WHERE time >= 0 GROUP BY time(1h, -15m), * fill(-2.5)");
  EXPECT_EQ(s.interval_offset, -15 * 60'000'000'000LL);
  EXPECT_TRUE(s.group_all_tags);
  EXPECT_EQ(s.fill, Fill::kValue);
  EXPECT_EQ(s.fill_value, -2.5);
  EXPECT_EQ(ParseSelect("SELECT max(v) FROM m GROUP BY time(1m) fill(previous)").fill,
            Fill::kPrevious);
  EXPECT_EQ(ParseSelect("SELECT max(v) FROM m GROUP BY time(1m) fill(linear)").fill, Fill::kLinear);
  EXPECT_EQ(ParseSelect("SELECT max(v) FROM m GROUP BY time(1m) fill(none)").fill, Fill::kNone);
}

TEST(InfluxQlParser, SeveralStatementsAndShows) {
  Result<std::vector<Statement>> s = Parse(
      "SHOW MEASUREMENTS WITH MEASUREMENT =~ /^m/ LIMIT 10; show tag values on plant from cpu "
      "with key in (\"a\", \"b\") where \"x\" = 'y';CREATE DATABASE \"d\" WITH DURATION 1d;",
      kNow);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->size(), 3u);
  const auto& m = std::get<ShowStatement>((*s)[0]);
  EXPECT_EQ(m.kind, ShowStatement::Kind::kMeasurements);
  EXPECT_EQ(m.limit, 10);
  ASSERT_EQ(m.measurement_filter.size(), 1u);
  EXPECT_TRUE(m.measurement_filter[0].Matches("machine"));
  const auto& v = std::get<ShowStatement>((*s)[1]);
  EXPECT_EQ(v.kind, ShowStatement::Kind::kTagValues);
  EXPECT_EQ(v.keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(std::get<CreateDatabase>((*s)[2]).name, "d");
}

TEST(InfluxQlParser, ErrorsSayWhatAndWhere) {
  auto message = [](std::string_view q) { return Parse(q, kNow).status().message(); };
  EXPECT_EQ(message("SELECT mean(v FROM m"),
            "error parsing query: found FROM, expected ) at line 1, char 15");
  EXPECT_THAT(message("SELECT v FROM m WHERE\n time > 0 OR host = 'a'"),
              HasSubstr("cannot be combined with OR"));
  EXPECT_THAT(message("SELECT derivative(v) FROM m"), HasSubstr("undefined function derivative()"));
  EXPECT_THAT(message("SELECT v FROM m WHERE v > 3"), HasSubstr("not on field values"));
  EXPECT_THAT(message("SELECT v FROM m WHERE host =~ /(/"),
              HasSubstr("invalid regular expression"));
  EXPECT_THAT(message("SELECT v FROM m WHERE host = 'a"), HasSubstr("unterminated string"));
  EXPECT_THAT(message("DELETE FROM m"), HasSubstr("found DELETE, expected SELECT, SHOW, CREATE"));
  EXPECT_THAT(message("SELECT v FROM m GROUP BY time(1y)"), HasSubstr("unit 'y'"));
  EXPECT_THAT(message("SELECT v FROM m WHERE time > 99999999999999999999"),
              HasSubstr("out of range"));
  EXPECT_THAT(message("SELECT v FROM m tz('Asia/Shanghai')"), HasSubstr("UTC only"));
  EXPECT_THAT(message(""), HasSubstr("found EOF"));
  // A hostile nesting is refused before it costs stack.
  const std::string deep = "SELECT v FROM m WHERE " + std::string(1'000'000, '(') + "a = 'b'";
  EXPECT_THAT(message(deep), HasSubstr("more than 64 nested parentheses at line 1, char 87"));
  const std::string fine =
      "SELECT v FROM m WHERE " + std::string(64, '(') + "a = 'b'" + std::string(64, ')');
  EXPECT_TRUE(Parse(fine, kNow).ok());
}

TEST(InfluxQlSeries, TagNamesReadAsMeasurementsTagsAndFields) {
  SeriesKey k = SplitTagName("machine/id=m7/line=2/temperature");
  EXPECT_EQ(k.measurement, "machine");
  EXPECT_EQ(k.tags, (TagSet{{"id", "m7"}, {"line", "2"}}));
  EXPECT_EQ(k.field, "temperature");
  k = SplitTagName("line1.oven.temp");
  EXPECT_EQ(k.measurement, "line1.oven.temp");
  EXPECT_EQ(k.field, "value");
  EXPECT_TRUE(k.tags.empty());
  k = SplitTagName("shanghai/press-1/pressure");
  EXPECT_EQ(k.measurement, "shanghai/press-1");
  EXPECT_EQ(k.field, "pressure");
  const SeriesIndex index({"m/a=1/x", "m/a=2/x", "m/a=1/y", "n/v"});
  ASSERT_EQ(index.measurements().size(), 2u);
  const Measurement& m = index.measurements()[0];
  EXPECT_EQ(m.TagKeys(), std::vector<std::string>{"a"});
  EXPECT_EQ(m.FieldKeys(), (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(m.series.size(), 2u);
  ASSERT_NE(m.series[0].Field("y"), nullptr);
  EXPECT_EQ(m.series[0].Field("y")->tag, "m/a=1/y");
  EXPECT_EQ(m.series[1].Field("y"), nullptr);
}

std::string GoFloat(double v) {
  std::string out;
  AppendGoFloat(v, &out);
  return out;
}

// Go's encoding/json float forms (strconv.FormatFloat 'f' or 'e' with the shortest
// precision, 'e' below 1e-6 and from 1e21, the exponent's leading zero dropped).
TEST(InfluxQlJson, FloatsAreWrittenAsGoWritesThem) {
  EXPECT_EQ(GoFloat(3), "3");
  EXPECT_EQ(GoFloat(0.1), "0.1");
  EXPECT_EQ(GoFloat(2.0 / 3), "0.6666666666666666");
  EXPECT_EQ(GoFloat(-0.0), "-0");
  EXPECT_EQ(GoFloat(1e-6), "0.000001");
  EXPECT_EQ(GoFloat(1e-7), "1e-7");
  EXPECT_EQ(GoFloat(1.5e-10), "1.5e-10");
  EXPECT_EQ(GoFloat(1e20), "100000000000000000000");
  EXPECT_EQ(GoFloat(1e21), "1e+21");
  EXPECT_EQ(GoFloat(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(GoFloat(NAN), "null");
}

TEST(InfluxQlJson, StringsTimesAndShape) {
  StatementResult r;
  r.series.push_back(
      {"m<&>",
       {{"k", "\xE2\x80\xA8\x01"}},
       {"time", "v"},
       {{TimeCell{kNow + 500'000'000}, Cell(int64_t{3})}, {TimeCell{kNow}, Cell()}}});
  StatementResult empty;
  StatementResult failed;
  failed.error = "bad";
  EXPECT_EQ(
      EncodeResults({r, empty, failed}, 0),
      R"({"results":[{"statement_id":0,"series":[{"name":"m\u003c\u0026\u003e","tags":{"k":"\u2028\u0001"},)"
      R"("columns":["time","v"],"values":[["2026-01-01T00:00:00.5Z",3],["2026-01-01T00:00:00Z",null]]}]},)"
      R"({"statement_id":1},{"statement_id":2,"error":"bad"}]})");
  EXPECT_THAT(EncodeResults({r}, 1'000'000), HasSubstr("[1767225600500,3]"));
  // Past 10,000 rows InfluxDB marks the series partial, though it is whole.
  ResultSeries big{"m", {}, {"time", "v"}, {}};
  big.values.assign(10'000, {TimeCell{0}, Cell(int64_t{1})});
  EXPECT_THAT(EncodeResults({StatementResult{{big}, ""}}, 1), Not(HasSubstr("partial")));
  big.values.push_back({TimeCell{0}, Cell(int64_t{1})});
  EXPECT_THAT(EncodeResults({StatementResult{{big}, ""}}, 1),
              HasSubstr("[0,1]],\"partial\":true}]}"));
  int64_t unit = 0;
  EXPECT_TRUE(ParseEpochParameter("u", &unit));
  EXPECT_EQ(unit, 1000);
  EXPECT_FALSE(ParseEpochParameter("days", &unit));
}

std::optional<double> Value(std::string_view f, std::vector<Point> points, double arg = 0) {
  auto v = Compute(f, arg, points);
  return v ? std::optional<double>(v->value) : std::nullopt;
}

TEST(InfluxQlFunctions, MedianPercentileAndStddevAsInfluxDbDefinesThem) {
  const std::vector<Point> p = {{1, 4}, {2, 1}, {3, 3}, {4, 2}};
  EXPECT_EQ(Value("median", p), 2.5);
  // Nearest rank: floor(4 * 50 / 100 + 0.5) - 1 = 1 → the second smallest.
  EXPECT_EQ(Value("percentile", p, 50), 2);
  EXPECT_EQ(Value("percentile", p, 100), 4);
  EXPECT_EQ(Value("percentile", p, 5), std::nullopt);  // rank 0: no point
  EXPECT_DOUBLE_EQ(*Value("stddev", p), std::sqrt(5.0 / 3));
  EXPECT_EQ(Value("stddev", {{1, 4}}), std::nullopt);
  EXPECT_EQ(Value("spread", p), 3);
  EXPECT_EQ(Compute("max", 0, p)->ts, 1);
  EXPECT_TRUE(Compute("count", 0, p)->is_count);
  // Merged from two series' buckets: the same as from their points.
  const Bucket a{0, 2, 5, 1, 4, 2.5, std::sqrt(4.5), 0, 0};
  const Bucket b{0, 2, 5, 2, 3, 2.5, std::sqrt(0.5), 0, 0};
  const Bucket* both[] = {&a, &b};
  EXPECT_DOUBLE_EQ(FromBuckets("stddev", both)->value, std::sqrt(5.0 / 3));
  EXPECT_EQ(FromBuckets("mean", both)->value, 2.5);
  EXPECT_EQ(FromBuckets("spread", both)->value, 3);
}

}  // namespace
}  // namespace fh::api::influxql
