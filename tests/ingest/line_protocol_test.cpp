// InfluxDB line protocol: every value type, escaping, precision, tag naming, and errors
// that name the line and what is wrong while the good lines are kept.
#include "ingest/line_protocol.h"

#include <gtest/gtest.h>

#include "testing/batch_points.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <optional>

#include "common/time.h"
#include "testing/status_matchers.h"

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
      TimeUnit::kSeconds, 42, batch);
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
  const LineProtocolResult r = parser.Parse(
      R"(my\ machine,plant\,site=north\=1,x=a\ b air\ temp=1 5)", TimeUnit::kNanos, 0, batch);
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
                                                    {"s", 7'000'000'000},
                                                    {"m", 420'000'000'000},
                                                    {"h", 25'200'000'000'000}}) {
    Result<TimeUnit> p = ParsePrecision(text);
    ASSERT_OK(p) << text;
    LineProtocolParser parser;
    SampleBatch batch;
    parser.Parse("m v=1 7", *p, 0, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch.ts()[0], ts) << text;
  }
  EXPECT_EQ(ParsePrecision("d").status().message(),
            "precision 'd': expected ns, us, ms, s, m or h");
}

TEST(LineProtocolTest, BadLinesAreReportedWhileGoodOnesAreKept) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r = parser.Parse(
      "ok v=1 1\n"
      "state value=\"running 2\n"
      "m v=1.5i 3\n"
      "m v=1,w=x 4\n"
      "m,tag v=1 5\n"
      "m\n"
      "m v=1 12x\n"
      "m v=1 99999999999999999\n"
      ",t=1 v=1\n"
      "m v=nan 6\n"
      "ok v=2 7\n",
      TimeUnit::kSeconds, 0, batch);
  EXPECT_EQ(r.lines, 11);
  EXPECT_EQ(r.points, 2);
  EXPECT_EQ(Points(batch),
            (std::vector<Point>{{"ok/v", 1'000'000'000, 1}, {"ok/v", 7'000'000'000, 2}}));
  ASSERT_EQ(r.errors.size(), 9u);
  const std::vector<std::pair<int64_t, std::string>> expected = {
      {2, "field 'value': the string at column 13 has no closing quote"},
      {3, "field 'v': '1.5i' is not a number (a float, 12i, 12u, t or f)"},
      {4, "field 'w': 'x' is not a number (a float, 12i, 12u, t or f)"},  // the line as a whole
      {5, "tag 'tag' at column 3: expected key=value"},
      {6, "no fields: expected a space and key=value after the tags"},
      {7, "timestamp '12x' at column 7: expected an integer"},
      {8,
       "timestamp '99999999999999999': out of range: precision s accepts "
       "-9223372036..9223372036 (1677-09-21T00:12:44Z..2262-04-11T23:47:16Z)"},
      {9, "missing the measurement before ',' or ' '"},
      {10, "field 'v': 'nan' is not a number (a float, 12i, 12u, t or f)"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.errors[i].line, expected[i].first);
    EXPECT_EQ(r.errors[i].message, expected[i].second) << r.errors[i].text;
  }
  EXPECT_EQ(r.errors[0].text, "state value=\"running 2");
}

// Decimals are read by a fast path (at most 15 significant digits) and by std::from_chars
// otherwise: both must give the same, correctly rounded double, bit for bit.
TEST(LineProtocolTest, DecimalsReadExactlyAsFromChars) {
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "0.1",
                                    "-0.0",
                                    "71.53",
                                    "+71.53",
                                    "1480",
                                    "0.3",
                                    "123456789012345",
                                    "1234567890123456",
                                    "9007199254740993",
                                    "0.000000000000001",
                                    "1.7976931348623157e308",
                                    "1e-5",
                                    "2.5E3",
                                    "99999999999999.9",
                                    "4.35",
                                    "1.1"};
  uint64_t state = 7;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const int frac = static_cast<int>(state >> 60) % 16;
    const uint64_t digits = (state >> 8) % 100000000000000000ull;
    std::string t = std::to_string(digits);
    if (frac > 0 && frac < static_cast<int>(t.size())) t.insert(t.size() - frac, ".");
    texts.push_back((state & 1) ? "-" + t : t);
  }
  std::string body;
  for (size_t i = 0; i < texts.size(); ++i)
    body += fmt::format("m v={} {}\n", texts[i], i);
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r = parser.Parse(body, TimeUnit::kNanos, 0, batch);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  ASSERT_EQ(batch.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string_view t =
        texts[i][0] == '+' ? std::string_view(texts[i]).substr(1) : std::string_view(texts[i]);
    double expected = 0;
    std::from_chars(t.data(), t.data() + t.size(), expected);
    ASSERT_EQ(std::bit_cast<uint64_t>(batch.value()[i]), std::bit_cast<uint64_t>(expected))
        << texts[i];
  }
}

TEST(LineProtocolTest, MalformedNumbersAreRefused) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r =
      parser.Parse("m v=+-1 1\nm v=1. 2\nm v=.5 3\nm v=- 4\nm v=1.2.3 5\nm v=--1 6\nm v=1-2 7\n",
                   TimeUnit::kNanos, 0, batch);
  // "1." and ".5" are floats to InfluxDB as to strtod; the rest are not numbers.
  EXPECT_EQ(Points(batch), (std::vector<Point>{{"m/v", 2, 1}, {"m/v", 3, 0.5}}));
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[1].line, 4);
}

TEST(LineProtocolTest, TooLongNamesAreRefusedWholeLine) {
  LineProtocolParser parser;
  SampleBatch batch;
  const std::string line = "m short=1," + std::string(300, 'k') + "=2 1";
  const LineProtocolResult r = parser.Parse(line, TimeUnit::kNanos, 0, batch);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(batch.size(), 0u);  // not even the short field: the line is one record
}

TEST(LineProtocolTest, TheParserCanBeReusedAcrossBatches) {
  LineProtocolParser parser;
  SampleBatch a, b;
  parser.Parse("m v=1 1\nn v=2 2\n", TimeUnit::kNanos, 0, a);
  parser.Parse("n v=3 3\n", TimeUnit::kNanos, 0, b);
  EXPECT_EQ(Points(b), (std::vector<Point>{{"n/v", 3, 3}}));
  a.Clear();
  parser.Parse("n v=4 4\nm v=5 5\n", TimeUnit::kNanos, 0, a);
  EXPECT_EQ(Points(a), (std::vector<Point>{{"n/v", 4, 4}, {"m/v", 5, 5}}));
}

// Issue 13: a string field used to refuse its whole line, numbers included. A line with
// strings stores its numbers and booleans as points and its strings as text values.
TEST(LineProtocolTest, StringFieldsAreTextValuesBesideTheLinesNumbers) {
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r = parser.Parse(
      "machine,id=m7 status=\"running\",speed=1480i,ok=t 1700000000\n"
      "machine,id=m7 note=\"say \\\"hi\\\", a\\\\b c=d\",empty=\"\" 1700000001\n"
      "log msg=\"back\\slash, \\n stays\" 1700000002\n"
      "log msg=\"温度 ℃\"\n",
      TimeUnit::kSeconds, 42, batch);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  EXPECT_EQ(r.lines, 4);
  EXPECT_EQ(r.points, 2);
  EXPECT_EQ(Points(batch), (std::vector<Point>{{"machine/id=m7/speed", 1700000000'000000000, 1480},
                                               {"machine/id=m7/ok", 1700000000'000000000, 1}}));
  const std::vector<TextSample> expected = {
      {"machine/id=m7/status", 1700000000'000000000, "running"},
      {"machine/id=m7/note", 1700000001'000000000, "say \"hi\", a\\b c=d"},
      {"machine/id=m7/empty", 1700000001'000000000, ""},
      {"log/msg", 1700000002'000000000, "back\\slash, \\n stays"},  // other backslashes stay
      {"log/msg", 42, "温度 ℃"},
  };
  EXPECT_EQ(r.texts, expected);
}

// A malformed or unstorable string refuses its line, as a malformed number does: nothing of
// it is stored, not even its good fields.
TEST(LineProtocolTest, MalformedStringsRefuseTheirWholeLine) {
  const std::string longest(kMaxTextValueBytes, 'x');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"m v=1,s=\"open 5", "field 's': the string at column 9 has no closing quote"},
      {"m s=\"a\\\" 5", "field 's': the string at column 5 has no closing quote"},
      {"m s=\"a\"b,v=1 5",
       "field 's': expected ',' or ' ' after the string's closing quote at column 7"},
      {"m v=1,s=\"" + longest + "x\" 5",
       "field 's': a string of 65537 bytes; at most 65536 are stored"},
      {"m v=1,s=\"ok\xff\" 5", "field 's': the string is not UTF-8 (at byte 3 of it)"},
      {"m s=\"\xc3\" 5", "field 's': the string is not UTF-8 (at byte 1 of it)"},
      {"m v=1,s=\"x\" 5x", "timestamp '5x' at column 13: expected an integer"},
  };
  for (const auto& [line, message] : cases) {
    LineProtocolParser parser;
    SampleBatch batch;
    const LineProtocolResult r = parser.Parse(line, TimeUnit::kNanos, 0, batch);
    ASSERT_EQ(r.errors.size(), 1u) << line.substr(0, 80);
    EXPECT_EQ(r.errors[0].message, message);
    EXPECT_EQ(batch.size(), 0u) << message;
    EXPECT_TRUE(r.texts.empty()) << message;
  }
  // Exactly the cap is stored, escapes counted once.
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r =
      parser.Parse("m s=\"" + longest.substr(2) + "\\\"\\\\\" 5", TimeUnit::kNanos, 0, batch);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  ASSERT_EQ(r.texts.size(), 1u);
  EXPECT_EQ(r.texts[0].value.size(), kMaxTextValueBytes);
  EXPECT_EQ(r.texts[0].value.substr(kMaxTextValueBytes - 3), "x\"\\");
}

TEST(LineProtocolTest, BooleansAreOneAndZero) {
  for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{{"t", 1},
                                                                               {"T", 1},
                                                                               {"true", 1},
                                                                               {"True", 1},
                                                                               {"TRUE", 1},
                                                                               {"f", 0},
                                                                               {"F", 0},
                                                                               {"false", 0},
                                                                               {"False", 0},
                                                                               {"FALSE", 0}}) {
    LineProtocolParser parser;
    SampleBatch batch;
    const LineProtocolResult r = parser.Parse("m b=" + text + " 1", TimeUnit::kNanos, 0, batch);
    ASSERT_TRUE(r.errors.empty()) << text;
    EXPECT_EQ(Points(batch), (std::vector<Point>{{"m/b", 1, value}})) << text;
  }
  for (const std::string text : {"tRUE", "yes", "1b", "\"t\"x"}) {
    LineProtocolParser parser;
    SampleBatch batch;
    const LineProtocolResult r = parser.Parse("m b=" + text + " 1", TimeUnit::kNanos, 0, batch);
    EXPECT_EQ(r.errors.size(), 1u) << text;
  }
}

// Issue 13: INT64_MAX (or a time that overflows once scaled) reached the store, which
// refused the whole request (HTTP 500, retried forever). Such a line is refused alone,
// naming the range its precision accepts; the edges of the range are stored.
TEST(LineProtocolTest, TimestampsOutsideTheStorableRangeRefuseTheirLine) {
  struct Case {
    std::string precision, ts;
    std::optional<TimestampNs> stored;  // empty: refused
  };
  const std::vector<Case> cases = {
      {"ns", "9223372036854775807", std::nullopt},  // INT64_MAX: reserved by the store
      {"ns", "9223372036854775806", kMaxStorableTimestamp},
      {"ns", "-9223372036854775808", kMinStorableTimestamp},
      {"ns", "-9223372036854775809", std::nullopt},  // beyond int64
      {"ns", "99999999999999999999", std::nullopt},
      {"us", "9223372036854775", 9223372036854775000},
      {"us", "9223372036854776", std::nullopt},
      {"ms", "-9223372036854", -9223372036854000000},
      {"ms", "-9223372036855", std::nullopt},
      {"s", "9223372036", 9223372036000000000},
      {"s", "9223372037", std::nullopt},
      {"s", "9223372036854775807", std::nullopt},
      {"m", "153722867", 153722867 * kNanosPerMinute},
      {"m", "153722868", std::nullopt},
      {"m", "-153722867", -153722867 * kNanosPerMinute},
      {"h", "2562047", 2562047 * kNanosPerHour},
      {"h", "2562048", std::nullopt},
      {"h", "-2562048", std::nullopt},
      {"h", "-2562047", -2562047 * kNanosPerHour},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.precision + " " + c.ts);
    LineProtocolParser parser;
    SampleBatch batch;
    const LineProtocolResult r = parser.Parse("m v=1,s=\"x\" " + c.ts + "\nok v=2 0\n",
                                              *ParsePrecision(c.precision), 0, batch);
    if (c.stored) {
      ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
      EXPECT_EQ(batch.ts()[0], *c.stored);
      EXPECT_EQ(r.texts.at(0).ts, *c.stored);
    } else {
      ASSERT_EQ(r.errors.size(), 1u);
      EXPECT_EQ(r.errors[0].line, 1);
      EXPECT_TRUE(r.errors[0].message.starts_with(
          "timestamp '" + c.ts + "': out of range: precision " + c.precision + " accepts "))
          << r.errors[0].message;
      EXPECT_TRUE(r.texts.empty());
      EXPECT_EQ(Points(batch), (std::vector<Point>{{"ok/v", 0, 2}}));  // the good line
    }
  }
  LineProtocolParser parser;
  SampleBatch batch;
  const LineProtocolResult r =
      parser.Parse("m v=1 9223372036854775807", TimeUnit::kNanos, 0, batch);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "timestamp '9223372036854775807': out of range: precision ns accepts "
            "-9223372036854775808..9223372036854775806 "
            "(1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775806Z)");
}

// Issue 13: errors quoted whole values, so a 10 MB value made a 10 MB error message.
TEST(LineProtocolTest, ErrorsQuoteAtMostKMaxQuotedBytesOfAValue) {
  const std::string huge(10'000'000, '7');
  const std::string cut = std::string(kMaxQuotedBytes, '7') + "...(10000000 bytes)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"m v=" + huge + "x 1",
       "field 'v': '" + std::string(kMaxQuotedBytes, '7') +
           "...(10000001 bytes)' is not a number (a float, 12i, 12u, t or f)"},
      {"m v=1 " + huge + "x", "timestamp '" + std::string(kMaxQuotedBytes, '7') +
                                  "...(10000001 bytes)' at column 7: expected an integer"},
      {"m " + huge + " 1", "field at column 3: expected key=value"},
      {"m," + huge + " v=1", "tag '" + cut + "' at column 3: expected key=value"},
  };
  for (const auto& [line, message] : cases) {
    LineProtocolParser parser;
    SampleBatch batch;
    const LineProtocolResult r = parser.Parse(line, TimeUnit::kNanos, 0, batch);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].message, message);
    EXPECT_EQ(r.errors[0].text, line);  // whole: the quarantine bounds what it keeps
  }
  // A cut never splits a UTF-8 character.
  LineProtocolParser parser;
  SampleBatch batch;
  std::string accents;
  for (int i = 0; i < 150; ++i)
    accents += "é";
  const LineProtocolResult r = parser.Parse("m v=x" + accents + " 1", TimeUnit::kNanos, 0, batch);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "field 'v': 'x" + accents.substr(0, 198) +
                                     "...(301 bytes)' is not a number (a float, 12i, 12u, t or f)");
  EXPECT_EQ(ParsePrecision(std::string(5000, 'q')).status().message(),
            "precision '" + std::string(kMaxQuotedBytes, 'q') +
                "...(5000 bytes)': expected ns, us, ms, s, m or h");
}

}  // namespace
}  // namespace fh::ingest
