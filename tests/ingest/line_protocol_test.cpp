// InfluxDB line protocol: every value type, escaping, precision, tag naming, and errors
// that name the line and what is wrong while the good lines are kept.
#include "ingest/line_protocol.h"

#include <gtest/gtest.h>

#include "testing/batch_points.h"

#include <cmath>

namespace fh::ingest {
namespace {

using Point = testing::BatchPoint;

std::vector<Point> Points(const SampleBatch& b) {
  return testing::BatchPoints(b);
}

TEST(LineProtocolTest, FieldsBecomePointsNamedByMeasurementSortedTagsAndField) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r = parser.Parse(
      "machine,line=2,id=m7 temperature=71.5,speed=1480i,running=t,count=7u 1700000000\n"
      "# a comment\n"
      "\n"
      "machine,id=m7,line=2 temperature=-1.5e3 1700000001\r\n"
      "cpu usage=+0.5,ok=FALSE\n",
      Precision::kSeconds, 42, batch);
  EXPECT_EQ(r.lines, 3);
  EXPECT_EQ(r.points, 7);
  EXPECT_TRUE(r.errors.empty());
  const std::vector<Point> expected = {
      {"machine/id=m7/line=2/temperature", 1700000000'000000000, 71.5},
      {"machine/id=m7/line=2/speed", 1700000000'000000000, 1480},
      {"machine/id=m7/line=2/running", 1700000000'000000000, 1},
      {"machine/id=m7/line=2/count", 1700000000'000000000, 7},
      {"machine/id=m7/line=2/temperature", 1700000001'000000000, -1500},
      {"cpu/usage", 42, 0.5},  // no timestamp: the server's time
      {"cpu/ok", 42, 0},
  };
  EXPECT_EQ(Points(batch), expected);
}

TEST(LineProtocolTest, EscapesAreRemovedFromNames) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r =
      parser.Parse(R"(my\ machine,plant\,site=north\=1,x=a\ b air\ temp=1 5)",
                   Precision::kNanoseconds, 0, batch);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  EXPECT_EQ(Points(batch),
            (std::vector<Point>{{"my machine/plant,site=north=1/x=a b/air temp", 5, 1}}));
}

TEST(LineProtocolTest, PrecisionScalesTimestamps) {
  for (const auto& [text, ts] :
       std::vector<std::pair<std::string, int64_t>>{{"", 7},
                                                    {"n", 7},
                                                    {"ns", 7},
                                                    {"u", 7'000},
                                                    {"us", 7'000},
                                                    {"ms", 7'000'000},
                                                    {"s", 7'000'000'000}}) {
    Result<Precision> p = ParsePrecision(text);
    ASSERT_TRUE(p.ok()) << text;
    LineProtocolParser parser;
    SampleBatch batch;
    parser.Parse("m v=1 7", *p, 0, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch.ts()[0], ts) << text;
  }
  EXPECT_EQ(ParsePrecision("h").status().message(), "precision 'h': expected ns, us, ms or s");
}

TEST(LineProtocolTest, BadLinesAreReportedWhileGoodOnesAreKept) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r = parser.Parse(
      "ok v=1 1\n"
      "state value=\"running\" 2\n"
      "m v=1.5i 3\n"
      "m v=1,w=x 4\n"
      "m,tag v=1 5\n"
      "m\n"
      "m v=1 12x\n"
      "m v=1 99999999999999999\n"
      ",t=1 v=1\n"
      "m v=nan 6\n"
      "ok v=2 7\n",
      Precision::kSeconds, 0, batch);
  EXPECT_EQ(r.lines, 11);
  EXPECT_EQ(r.points, 2);
  EXPECT_EQ(Points(batch),
            (std::vector<Point>{{"ok/v", 1'000'000'000, 1}, {"ok/v", 7'000'000'000, 2}}));
  ASSERT_EQ(r.errors.size(), 9u);
  const std::vector<std::pair<int64_t, std::string>> expected = {
      {2, "field 'value': a string value; factoryhub stores numbers (floats, integers, booleans)"},
      {3, "field 'v': '1.5i' is not a number (a float, 12i, 12u, t or f)"},
      {4, "field 'w': 'x' is not a number (a float, 12i, 12u, t or f)"},  // the line as a whole
      {5, "tag 'tag' at column 3: expected key=value"},
      {6, "no fields: expected a space and key=value after the tags"},
      {7, "timestamp '12x' at column 7: expected an integer"},
      {8, "timestamp '99999999999999999': out of range"},
      {9, "missing the measurement before ',' or ' '"},
      {10, "field 'v': 'nan' is not a number (a float, 12i, 12u, t or f)"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.errors[i].line, expected[i].first);
    EXPECT_EQ(r.errors[i].message, expected[i].second) << r.errors[i].text;
  }
  EXPECT_EQ(r.errors[0].text, "state value=\"running\" 2");
}

TEST(LineProtocolTest, TooLongNamesAreRefusedWholeLine) {
  LineProtocolParser parser;
  SampleBatch batch;
  const std::string line = "m short=1," + std::string(300, 'k') + "=2 1";
  const LineProtocolResult r = parser.Parse(line, Precision::kNanoseconds, 0, batch);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(batch.size(), 0u);  // not even the short field: the line is one record
}

TEST(LineProtocolTest, TheParserCanBeReusedAcrossBatches) {
  LineProtocolParser parser;
  SampleBatch a, b;
  parser.Parse("m v=1 1\nn v=2 2\n", Precision::kNanoseconds, 0, a);
  parser.Parse("n v=3 3\n", Precision::kNanoseconds, 0, b);
  EXPECT_EQ(Points(b), (std::vector<Point>{{"n/v", 3, 3}}));
  a.Clear();
  parser.Parse("n v=4 4\nm v=5 5\n", Precision::kNanoseconds, 0, a);
  EXPECT_EQ(Points(a), (std::vector<Point>{{"n/v", 4, 4}, {"m/v", 5, 5}}));
}

}  // namespace
}  // namespace fh::ingest
