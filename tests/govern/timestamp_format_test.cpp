#include "govern/timestamp_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/time.h"
#include "testing/status_matchers.h"

namespace fh::govern {
namespace {

// The instant an RFC 3339 text names: the oracle for expected values.
int64_t At(std::string_view rfc3339) {
  Result<int64_t> ns = ParseRfc3339(rfc3339);
  EXPECT_OK(ns) << rfc3339;
  return ns.ok() ? *ns : 0;
}

TimestampParser MakeParser(std::string format, std::string zone = "UTC",
                           std::vector<std::string> alternatives = {}, bool day_first = false) {
  TimestampSpec spec;
  spec.format = std::move(format);
  spec.time_zone = std::move(zone);
  spec.alternatives = std::move(alternatives);
  spec.day_first = day_first;
  Result<TimestampParser> parser = TimestampParser::Make(spec);
  EXPECT_OK(parser);
  return std::move(parser).value();
}

struct Case {
  std::string_view text;
  std::string_view expected;  // RFC 3339
};

void ExpectParses(const TimestampParser& parser, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    Result<int64_t> got = parser.Parse(c.text);
    ASSERT_OK(got) << "'" << c.text << "': " << got.status().ToString();
    EXPECT_EQ(FormatRfc3339(*got), FormatRfc3339(At(c.expected))) << "'" << c.text << "'";
  }
}

std::string FormatParseError(const TimestampParser& parser, std::string_view text) {
  Result<int64_t> got = parser.Parse(text);
  EXPECT_FALSE(got.ok()) << "'" << text << "' read as " << FormatRfc3339(*got);
  return got.ok() ? "" : got.status().message();
}

std::string MakeError(TimestampSpec spec) {
  Result<TimestampParser> parser = TimestampParser::Make(spec);
  EXPECT_FALSE(parser.ok()) << spec.format;
  return parser.ok() ? "" : parser.status().message();
}

TEST(TimestampFormatTest, Rfc3339IsCommonTime) {
  const TimestampParser parser = MakeParser("rfc3339", "Asia/Shanghai");
  ExpectParses(parser, {{"2024-03-05T08:00:00Z", "2024-03-05T08:00:00Z"},
                        {"2024-03-05 08:00:00.25+08:00", "2024-03-05T00:00:00.25Z"}});
  EXPECT_EQ(FormatParseError(parser, "2024-03-05T08:00:00"),
            "missing time zone offset (Z or ±HH:MM)");
  EXPECT_EQ(FormatParseError(parser, "2024-02-30T08:00:00Z"),
            "day 30 out of range for 2024-02 (01-29)");
}

TEST(TimestampFormatTest, EpochUnits) {
  ExpectParses(MakeParser("epoch_s", "Asia/Shanghai"), {{"1709625600", "2024-03-05T08:00:00Z"},
                                                        {"1709625600.5", "2024-03-05T08:00:00.5Z"},
                                                        {"-1", "1969-12-31T23:59:59Z"}});
  ExpectParses(MakeParser("epoch_ms"), {{"1709625600123", "2024-03-05T08:00:00.123Z"}});
  ExpectParses(MakeParser("epoch_us"), {{"1709625600123456", "2024-03-05T08:00:00.123456Z"}});
  ExpectParses(MakeParser("epoch_ns"), {{"1709625600123456789", "2024-03-05T08:00:00.123456789Z"}});
  EXPECT_EQ(FormatParseError(MakeParser("epoch_ms"), "2024-03-05"),
            "not a number of ms since the epoch");
  EXPECT_EQ(FormatParseError(MakeParser("epoch_s"), "99999999999999999999"),
            "out of range (int64 nanoseconds: years 1677-2262)");
}

TEST(TimestampFormatTest, EpochByMagnitude) {
  ExpectParses(MakeParser("epoch"), {
                                        {"0", "1970-01-01T00:00:00Z"},
                                        {"1709625600", "2024-03-05T08:00:00Z"},
                                        {"9223372036", "2262-04-11T23:47:16Z"},
                                        {"10000000000", "1970-04-26T17:46:40Z"},
                                        {"9223372036854", "2262-04-11T23:47:16.854Z"},
                                        {"100000000000000", "1973-03-03T09:46:40Z"},
                                        {"10000000000000000", "1970-04-26T17:46:40Z"},
                                        {"1709625600123", "2024-03-05T08:00:00.123Z"},
                                        {"1709625600123456", "2024-03-05T08:00:00.123456Z"},
                                        {"1709625600123456789", "2024-03-05T08:00:00.123456789Z"},
                                        {"00001709625600", "2024-03-05T08:00:00Z"},
                                        {"-1709625600", "1915-10-29T16:00:00Z"},
                                        {"20240305", "1970-08-23T06:18:25Z"},  // not a date
                                    });
}

TEST(TimestampFormatTest, Auto) {
  const TimestampParser parser = MakeParser("auto", "Asia/Shanghai");
  ExpectParses(parser, {
                           {"2024-03-05T08:00:00Z", "2024-03-05T08:00:00Z"},
                           {"2024-03-05T08:00:00+01:00", "2024-03-05T07:00:00Z"},
                           {"2024-03-05T08:00:00.123456789-0130", "2024-03-05T09:30:00.123456789Z"},
                           {"2024-03-05 08:00:00 +08", "2024-03-05T00:00:00Z"},
                           {"2024-03-05 08:00:00", "2024-03-05T00:00:00Z"},
                           {"2024-03-05t08:00", "2024-03-05T00:00:00Z"},
                           {"2024-03-05 8:00:00,5", "2024-03-05T00:00:00.5Z"},
                           {"2024-03-05", "2024-03-04T16:00:00Z"},
                           {"2024/03/05 08:00", "2024-03-05T00:00:00Z"},
                           {"2024/3/5 8:00:00", "2024-03-05T00:00:00Z"},
                           {"2024.03.05", "2024-03-04T16:00:00Z"},
                           {"05.03.2024", "2024-03-04T16:00:00Z"},
                           {"5.3.2024 14:30", "2024-03-05T06:30:00Z"},
                           {"03/05/2024", "2024-03-04T16:00:00Z"},
                           {"3/5/2024 8:00:00 PM", "2024-03-05T12:00:00Z"},
                           {"3/5/2024 12:00:00 am", "2024-03-04T16:00:00Z"},
                           {"03-05-2024 08:00:00", "2024-03-05T00:00:00Z"},
                           {"2024/3/5 下午 02:30:00", "2024-03-05T06:30:00Z"},
                           {"2024/3/5 上午 12:30:00", "2024-03-04T16:30:00Z"},
                           {"  2024-03-05 08:00:00\r\n", "2024-03-05T00:00:00Z"},
                           {"20240305", "2024-03-04T16:00:00Z"},
                           {"20240305083000", "2024-03-05T00:30:00Z"},
                           {"12345678", "1970-05-23T21:21:18Z"},  // not 19xx or 20xx: epoch s
                           {"2024-03-05T08:00:00,5Z", "2024-03-05T08:00:00.5Z"},
                           {"1709625600", "2024-03-05T08:00:00Z"},
                           {"1709625600000", "2024-03-05T08:00:00Z"},
                           {"2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999999999Z"},
                       });
  ExpectParses(MakeParser("auto", "UTC", {}, /*day_first=*/true),
               {{"03/05/2024", "2024-05-03T00:00:00Z"}, {"13-05-2024", "2024-05-13T00:00:00Z"}});
}

TEST(TimestampFormatTest, AutoErrors) {
  const TimestampParser parser = MakeParser("auto");
  EXPECT_EQ(FormatParseError(parser, "13/05/2024"), "month 13 out of range (01-12)");
  EXPECT_EQ(FormatParseError(parser, "2024-02-30 08:00"),
            "day 30 out of range for 2024-02 (01-29)");
  EXPECT_EQ(FormatParseError(parser, "2024-02-30T08:00:00Z"),
            "day 30 out of range for 2024-02 (01-29)");
  EXPECT_EQ(FormatParseError(parser, "2024-03-05 24:00"), "hour 24 out of range (00-23)");
  EXPECT_EQ(FormatParseError(parser, "2024-03-05 08:61"), "minute 61 out of range (00-59)");
  EXPECT_EQ(FormatParseError(parser, "3/5/2024 13:00 PM"),
            "hour 13 out of range for a 12-hour clock (01-12)");
  EXPECT_EQ(FormatParseError(parser, "2024-03-05 08:00+25:00"),
            "time zone offset +25:00 out of range (at most ±23:59)");
  EXPECT_EQ(FormatParseError(parser, "2024-03-05 08:00:00.1234567891"),
            "fraction longer than 9 digits (resolution is 1 ns) at character 30");
  EXPECT_EQ(
      FormatParseError(parser, "5 March 2024")
          .find("not a timestamp auto recognises (stopped at character 2): auto reads ISO 8601"),
      0);
  EXPECT_EQ(FormatParseError(parser, "2024-03-05 08:00 foo")
                .find("not a timestamp auto recognises (stopped at character 17)"),
            0);
  EXPECT_EQ(FormatParseError(parser, "  "), "empty timestamp");
  EXPECT_EQ(FormatParseError(parser, "20241305"), "month 13 out of range (01-12)");
  EXPECT_EQ(FormatParseError(parser, "20240305250000"), "hour 25 out of range (00-23)");
  EXPECT_EQ(FormatParseError(parser, "1e9").find("not a timestamp auto recognises"), 0);
}

TEST(TimestampFormatTest, Patterns) {
  ExpectParses(MakeParser("%Y-%m-%d %H:%M:%S"),
               {{"2024-03-05 08:09:10", "2024-03-05T08:09:10Z"},
                {"2024-3-5 8:9:10", "2024-03-05T08:09:10Z"},
                {"2024-03-05   08:09:10", "2024-03-05T08:09:10Z"}});
  ExpectParses(MakeParser("%d.%m.%Y %H:%M"), {{"05.03.2024 14:30", "2024-03-05T14:30:00Z"}});
  ExpectParses(MakeParser("%d-%b-%Y"), {{"05-Mar-2024", "2024-03-05T00:00:00Z"},
                                        {"05-MARCH-2024", "2024-03-05T00:00:00Z"},
                                        {"5-sep-2024", "2024-09-05T00:00:00Z"}});
  ExpectParses(MakeParser("%b %d, %Y %I:%M %p"),
               {{"March 5, 2024 8:00 PM", "2024-03-05T20:00:00Z"}});
  ExpectParses(MakeParser("%Y%m%d%H%M%S"), {{"20240305080910", "2024-03-05T08:09:10Z"}});
  ExpectParses(MakeParser("%Y年%m月%d日 %H时%M分"),
               {{"2024年03月05日 08时09分", "2024-03-05T08:09:00Z"}});
  ExpectParses(MakeParser("%Y-%m-%dT%H:%M:%S%z", "Asia/Shanghai"),
               {{"2024-03-05T08:00:00Z", "2024-03-05T08:00:00Z"},
                {"2024-03-05T08:00:00+0100", "2024-03-05T07:00:00Z"},
                {"2024-03-05T08:00:00-05:30", "2024-03-05T13:30:00Z"},
                {"2024-03-05T08:00:00+08", "2024-03-05T00:00:00Z"}});
  ExpectParses(MakeParser("%Y-%m-%d %H:%M:%S %z"),
               {{"2024-03-05 08:00:00 +0800", "2024-03-05T00:00:00Z"}});
  ExpectParses(MakeParser("100%% %Y-%m-%d"), {{"100% 2024-03-05", "2024-03-05T00:00:00Z"}});
}

TEST(TimestampFormatTest, Fractions) {
  const TimestampParser parser = MakeParser("%H:%M:%S.%f %d/%m/%Y");
  ExpectParses(parser, {{"08:00:00.5 05/03/2024", "2024-03-05T08:00:00.5Z"},
                        {"08:00:00.123 05/03/2024", "2024-03-05T08:00:00.123Z"},
                        {"08:00:00.000001 05/03/2024", "2024-03-05T08:00:00.000001Z"},
                        {"08:00:00.123456789 05/03/2024", "2024-03-05T08:00:00.123456789Z"},
                        // ".%f" may be absent altogether.
                        {"08:00:00 05/03/2024", "2024-03-05T08:00:00Z"}});
  EXPECT_EQ(FormatParseError(parser, "08:00:00.1234567890 05/03/2024"),
            "pattern '%H:%M:%S.%f %d/%m/%Y': fraction longer than 9 digits (resolution is 1 ns) "
            "at character 19");
  EXPECT_EQ(FormatParseError(parser, "08:00:00. 05/03/2024"),
            "pattern '%H:%M:%S.%f %d/%m/%Y': expected 1-9 digits for %f at character 10");
  ExpectParses(MakeParser("%Y-%m-%d %H:%M:%S,%f"),
               {{"2024-03-05 08:00:00,25", "2024-03-05T08:00:00.25Z"}});
  // Without a separator before it, %f is required.
  ExpectParses(MakeParser("%Y%m%d%H%M%S%f"), {{"20240305080000123", "2024-03-05T08:00:00.123Z"}});
}

TEST(TimestampFormatTest, TwelveHourClock) {
  const TimestampParser parser = MakeParser("%m/%d/%Y %I:%M %p");
  ExpectParses(parser, {{"03/05/2024 12:00 AM", "2024-03-05T00:00:00Z"},
                        {"03/05/2024 12:59 am", "2024-03-05T00:59:00Z"},
                        {"03/05/2024 1:00 AM", "2024-03-05T01:00:00Z"},
                        {"03/05/2024 11:59 AM", "2024-03-05T11:59:00Z"},
                        {"03/05/2024 12:00 PM", "2024-03-05T12:00:00Z"},
                        {"03/05/2024 1:00 pm", "2024-03-05T13:00:00Z"},
                        {"03/05/2024 11:59 PM", "2024-03-05T23:59:00Z"},
                        {"03/05/2024 08:00 下午", "2024-03-05T20:00:00Z"}});
  EXPECT_EQ(FormatParseError(parser, "03/05/2024 0:00 AM"),
            "pattern '%m/%d/%Y %I:%M %p': hour 00 out of range for a 12-hour clock (01-12)");
  EXPECT_EQ(FormatParseError(parser, "03/05/2024 13:00 PM"),
            "pattern '%m/%d/%Y %I:%M %p': hour 13 out of range for a 12-hour clock (01-12)");
  EXPECT_EQ(FormatParseError(parser, "03/05/2024 10:00 XM"),
            "pattern '%m/%d/%Y %I:%M %p': expected AM or PM for %p at character 18");
}

TEST(TimestampFormatTest, TwoDigitYears) {
  const TimestampParser parser = MakeParser("%d.%m.%y");
  ExpectParses(parser, {{"05.03.24", "2024-03-05T00:00:00Z"},
                        {"01.01.00", "2000-01-01T00:00:00Z"},
                        {"31.12.68", "2068-12-31T00:00:00Z"},
                        {"01.01.69", "1969-01-01T00:00:00Z"},
                        {"31.12.99", "1999-12-31T00:00:00Z"}});
  EXPECT_EQ(FormatParseError(parser, "05.03.2024"),
            "pattern '%d.%m.%y': unexpected text at character 9, after the end of the pattern");
}

TEST(TimestampFormatTest, PatternErrors) {
  const TimestampParser parser = MakeParser("%Y-%m-%d");
  EXPECT_EQ(FormatParseError(parser, "2024x03-05"),
            "pattern '%Y-%m-%d': expected '-' at character 5");
  EXPECT_EQ(FormatParseError(parser, "2024-02-31"),
            "pattern '%Y-%m-%d': day 31 out of range for 2024-02 (01-29)");
  EXPECT_EQ(FormatParseError(parser, "2023-02-29"),
            "pattern '%Y-%m-%d': day 29 out of range for 2023-02 (01-28)");
  EXPECT_EQ(FormatParseError(parser, "2024-13-01"),
            "pattern '%Y-%m-%d': month 13 out of range (01-12)");
  EXPECT_EQ(FormatParseError(parser, "2024-00-01"),
            "pattern '%Y-%m-%d': month 00 out of range (01-12)");
  EXPECT_EQ(FormatParseError(parser, "2024-01-00"),
            "pattern '%Y-%m-%d': day 00 out of range for 2024-01 (01-31)");
  EXPECT_EQ(FormatParseError(parser, "24-03-05"),
            "pattern '%Y-%m-%d': expected 4 digits for %Y at character 1");
  EXPECT_EQ(FormatParseError(parser, "2024--05"),
            "pattern '%Y-%m-%d': expected 1 or 2 digits for %m at character 6");
  // Positions count in the text as given, leading spaces included.
  EXPECT_EQ(FormatParseError(parser, "  2024-03-05x"),
            "pattern '%Y-%m-%d': unexpected text at character 13, after the end of the pattern");
  EXPECT_EQ(FormatParseError(MakeParser("%d-%b-%Y"), "05-Mrz-2024"),
            "pattern '%d-%b-%Y': expected a month name (Jan-Dec) for %b at character 4");
  EXPECT_EQ(FormatParseError(MakeParser("%Y-%m-%d %H:%M"), "2024-03-05T08:00"),
            "pattern '%Y-%m-%d %H:%M': expected ' ' at character 11");
  EXPECT_EQ(FormatParseError(MakeParser("%Y年%m月%d日"), "2024-03-05"),
            "pattern '%Y年%m月%d日': expected '年' at character 5");
  EXPECT_EQ(FormatParseError(MakeParser("%Y-%m-%d %H:%M:%S"), "2024-03-05 08:00:61"),
            "pattern '%Y-%m-%d %H:%M:%S': second 61 out of range (00-60)");
  EXPECT_EQ(FormatParseError(MakeParser("%Y-%m-%d%z"), "2024-03-05+8"),
            "pattern '%Y-%m-%d%z': expected a UTC offset (Z, ±HH:MM, ±HHMM or ±HH) at character "
            "11");
}

TEST(TimestampFormatTest, MakeErrors) {
  TimestampSpec spec;
  spec.format = "%Y-%m-%d %q";
  EXPECT_EQ(MakeError(spec),
            "pattern '%Y-%m-%d %q': unknown directive %q at character 10 (known: %Y %y %m %b %d "
            "%H %I %M %S %f %p %z %%)");
  spec.format = "%H:%M";
  EXPECT_EQ(MakeError(spec), "pattern '%H:%M' has no year (%Y or %y)");
  spec.format = "%Y-%d";
  EXPECT_EQ(MakeError(spec), "pattern '%Y-%d' has no month (%m or %b)");
  spec.format = "%Y-%m";
  EXPECT_EQ(MakeError(spec), "pattern '%Y-%m' has no day (%d)");
  spec.format = "%Y-%m-%d %I:%M";
  EXPECT_EQ(MakeError(spec),
            "pattern '%Y-%m-%d %I:%M': %I (12-hour clock) and %p (AM/PM) go together");
  spec.format = "%Y-%m-%d %m";
  EXPECT_EQ(MakeError(spec), "pattern '%Y-%m-%d %m': %m appears twice");
  spec.format = "%Y-%m-%d %";
  EXPECT_EQ(MakeError(spec), "pattern '%Y-%m-%d %' ends with '%'");
  spec.format = "iso";
  EXPECT_EQ(MakeError(spec).find("unknown timestamp format 'iso' (expected auto, rfc3339"), 0);
  spec.format = "auto";
  spec.alternatives = {"%Y"};
  EXPECT_EQ(MakeError(spec), "pattern '%Y' has no month (%m or %b)");
  spec.alternatives.clear();
  spec.time_zone = "Mars/Olympus_Mons";
  EXPECT_EQ(MakeError(spec),
            "unknown time zone 'Mars/Olympus_Mons' (expected an IANA name such as Asia/Shanghai, "
            "UTC, or an offset such as +08:00)");
  spec.time_zone = "+25:00";
  EXPECT_EQ(MakeError(spec), "bad time zone offset '+25:00' (expected ±HH:MM)");
}

TEST(TimestampFormatTest, TimeZones) {
  ExpectParses(
      MakeParser("%Y-%m-%d %H:%M", "Asia/Shanghai"),
      {{"2024-03-05 08:00", "2024-03-05T00:00:00Z"}, {"2024-07-05 08:00", "2024-07-05T00:00:00Z"}});
  ExpectParses(MakeParser("%Y-%m-%d %H:%M", "+05:30"),
               {{"2024-03-05 08:00", "2024-03-05T02:30:00Z"}});
  ExpectParses(MakeParser("%Y-%m-%d %H:%M", "-0800"),
               {{"2024-03-05 08:00", "2024-03-05T16:00:00Z"}});
  ExpectParses(MakeParser("%Y-%m-%d %H:%M", ""), {{"2024-03-05 08:00", "2024-03-05T08:00:00Z"}});
  const TimestampParser berlin = MakeParser("%Y-%m-%d %H:%M", "Europe/Berlin");
  ExpectParses(berlin, {
                           {"2024-01-15 12:00", "2024-01-15T11:00:00Z"},  // CET, +01:00
                           {"2024-07-15 12:00", "2024-07-15T10:00:00Z"},  // CEST, +02:00
                           {"2024-03-31 01:59", "2024-03-31T00:59:00Z"},
                           {"2024-03-31 03:00", "2024-03-31T01:00:00Z"},
                           // Repeated (03:00 → 02:00), without an order to go by: the
                           // first, still +02:00.
                           {"2024-10-27 01:59", "2024-10-26T23:59:00Z"},
                           {"2024-10-27 02:00", "2024-10-27T00:00:00Z"},
                           {"2024-10-27 02:30", "2024-10-27T00:30:00Z"},
                           {"2024-10-27 03:00", "2024-10-27T02:00:00Z"},
                       });
  // An offset in the text wins over the zone; epoch numbers have no zone to apply.
  ExpectParses(MakeParser("auto", "Europe/Berlin"),
               {{"2024-07-15 12:00:00Z", "2024-07-15T12:00:00Z"},
                {"2024-07-15 12:00:00", "2024-07-15T10:00:00Z"},
                {"1721044800", "2024-07-15T12:00:00Z"}});
}

// The hours a daylight-saving change skips and repeats, as the mapping says to read them.
TEST(TimestampFormatTest, DaylightSavingChanges) {
  TimestampSpec spec;
  spec.format = "%Y-%m-%d %H:%M";
  spec.time_zone = "Europe/Berlin";
  // Skipped (02:00 → 03:00 on 2024-03-31): refused by default, saying why and what to do.
  const TimestampParser strict = *TimestampParser::Make(spec);
  Result<int64_t> skipped = strict.Parse("2024-03-31 02:30");
  ASSERT_FALSE(skipped.ok());
  EXPECT_THAT(skipped.status().message(),
              ::testing::HasSubstr("2024-03-31 02:30 does not exist in Europe/Berlin"));
  spec.nonexistent = NonexistentTime::kShift;  // the offset before the change, +01:00
  EXPECT_EQ(*TimestampParser::Make(spec)->Parse("2024-03-31 02:30"), At("2024-03-31T01:30:00Z"));

  // Repeated (03:00 → 02:00 on 2024-10-27): infer by the source's order, as a historian
  // export through the change is written: 01:30, 02:00, 02:30, 02:00, 02:30, 03:00.
  const char* local[] = {"2024-10-27 01:30", "2024-10-27 02:00", "2024-10-27 02:30",
                         "2024-10-27 02:00", "2024-10-27 02:30", "2024-10-27 03:00"};
  const char* utc[] = {"2024-10-26T23:30:00Z", "2024-10-27T00:00:00Z", "2024-10-27T00:30:00Z",
                       "2024-10-27T01:00:00Z", "2024-10-27T01:30:00Z", "2024-10-27T02:00:00Z"};
  std::optional<int64_t> last;
  for (size_t i = 0; i < std::size(local); ++i) {
    Result<int64_t> t = strict.Parse(local[i], last);
    ASSERT_OK(t) << local[i] << ": " << t.status().ToString();
    EXPECT_EQ(*t, At(utc[i])) << local[i];
    last = *t;
  }
  // Going back past both (a file sorted backwards): the order does not tell.
  Result<int64_t> back = strict.Parse("2024-10-27 02:30", At("2024-10-27T05:00:00Z"));
  ASSERT_FALSE(back.ok());
  EXPECT_THAT(back.status().message(), ::testing::HasSubstr("happens twice in Europe/Berlin"));
  spec.nonexistent = NonexistentTime::kReject;
  spec.ambiguous = AmbiguousTime::kLater;
  EXPECT_EQ(*TimestampParser::Make(spec)->Parse("2024-10-27 02:30"), At("2024-10-27T01:30:00Z"));
  spec.ambiguous = AmbiguousTime::kEarlier;
  EXPECT_EQ(*TimestampParser::Make(spec)->Parse("2024-10-27 02:30", At("2024-10-27T05:00:00Z")),
            At("2024-10-27T00:30:00Z"));
  spec.ambiguous = AmbiguousTime::kReject;
  EXPECT_FALSE(TimestampParser::Make(spec)->Parse("2024-10-27 02:30").ok());
  EXPECT_TRUE(TimestampParser::Make(spec)->Parse("2024-10-27 03:30").ok());  // not repeated
}

TEST(TimestampFormatTest, Excel) {
  ExpectParses(MakeParser("excel"), {
                                        {"45356.5", "2024-03-05T12:00:00Z"},
                                        {"45356", "2024-03-05T00:00:00Z"},
                                        {"45356.541666666664", "2024-03-05T13:00:00Z"},
                                        {"45356.000011574", "2024-03-05T00:00:01Z"},
                                        {"45356.25001", "2024-03-05T06:00:00.864Z"},
                                        {"1", "1900-01-01T00:00:00Z"},
                                        {"59", "1900-02-28T00:00:00Z"},
                                        {"61", "1900-03-01T00:00:00Z"},
                                        {"25569", "1970-01-01T00:00:00Z"},
                                    });
  ExpectParses(MakeParser("excel", "Asia/Shanghai"), {{"45356.5", "2024-03-05T04:00:00Z"}});
  const TimestampParser parser = MakeParser("excel");
  EXPECT_EQ(FormatParseError(parser, "60"),
            "Excel serial 60 is 1900-02-29, a day that did not exist (a leap-year bug Excel "
            "keeps for compatibility)");
  EXPECT_EQ(FormatParseError(parser, "0.5"), "Excel serial below 1: a time of day without a date");
  EXPECT_EQ(FormatParseError(parser, "-1"),
            "not an Excel serial day number (digits, optionally with a fraction)");
  EXPECT_EQ(FormatParseError(parser, "3000000"), "Excel serial after 9999-12-31");
  EXPECT_EQ(FormatParseError(parser, "2958465"),
            "outside the representable range "
            "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z");
}

TEST(TimestampFormatTest, Excel1904) {
  ExpectParses(MakeParser("excel1904"), {
                                            {"0", "1904-01-01T00:00:00Z"},
                                            {"0.5", "1904-01-01T12:00:00Z"},
                                            {"43894.5", "2024-03-05T12:00:00Z"},
                                            {"24107", "1970-01-01T00:00:00Z"},
                                        });
  ExpectParses(MakeParser("excel1904", "Asia/Shanghai"), {{"43894.5", "2024-03-05T04:00:00Z"}});
  const TimestampParser parser = MakeParser("excel1904");
  EXPECT_EQ(FormatParseError(parser, "-1"),
            "not an Excel serial day number (digits, optionally with a fraction)");
  EXPECT_EQ(FormatParseError(parser, "2957004"), "Excel serial after 9999-12-31");
}

TEST(TimestampFormatTest, Alternatives) {
  const TimestampParser parser =
      MakeParser("%d/%m/%Y %H:%M:%S", "UTC", {"%d/%m/%Y %H:%M", "%d/%m/%Y", "epoch_ms"});
  ExpectParses(parser, {{"05/03/2024 08:09:10", "2024-03-05T08:09:10Z"},
                        {"05/03/2024 08:09", "2024-03-05T08:09:00Z"},
                        {"05/03/2024", "2024-03-05T00:00:00Z"},
                        {"1709625600123", "2024-03-05T08:00:00.123Z"}});
  EXPECT_EQ(FormatParseError(parser, "2024-03-05"),
            "none of the 4 formats matched: pattern '%d/%m/%Y %H:%M:%S': expected '/' at "
            "character 3; pattern '%d/%m/%Y %H:%M': expected '/' at character 3; pattern "
            "'%d/%m/%Y': expected '/' at character 3; format 'epoch_ms': not a number of ms "
            "since the epoch");
  // The first that matches wins, even when a later one would read the text differently.
  ExpectParses(MakeParser("%m/%d/%Y", "UTC", {"%d/%m/%Y"}),
               {{"03/05/2024", "2024-03-05T00:00:00Z"}, {"13/05/2024", "2024-05-13T00:00:00Z"}});
  ExpectParses(
      MakeParser("rfc3339", "UTC", {"auto"}),
      {{"2024-03-05T08:00:00Z", "2024-03-05T08:00:00Z"}, {"2024-03-05", "2024-03-05T00:00:00Z"}});
}

TEST(TimestampFormatTest, CopiesParseAlike) {
  Result<TimestampParser> made = TimestampParser::Make({"%Y-%m-%d %H:%M", {}, "Europe/Berlin"});
  ASSERT_OK(made);
  const TimestampParser copy = *made;
  const TimestampParser moved = std::move(*made);
  EXPECT_EQ(*copy.Parse("2024-07-15 12:00"), At("2024-07-15T10:00:00Z"));
  EXPECT_EQ(*moved.Parse("2024-07-15 12:00"), At("2024-07-15T10:00:00Z"));
}

// Texts made of the characters timestamps are made of, and mutations of real ones: Parse
// must answer (a value or an error) without reading out of bounds (run under ASan).
TEST(TimestampFormatTest, RandomTextIsReadOrRefused) {
  const TimestampParser parsers[] = {
      MakeParser("auto", "Europe/Berlin"),
      MakeParser("auto", "UTC", {}, true),
      MakeParser("%d/%m/%Y %I:%M:%S.%f %p %z", "Asia/Shanghai", {"%y%m%d%H%M%S,%f", "excel"}),
      MakeParser("%b %d %Y %H:%M", "UTC", {"rfc3339", "epoch", "epoch_ms"}),
  };
  const std::string_view seeds[] = {"2024-03-05T08:00:00.123+08:00",
                                    "05.03.2024 08:00",
                                    "3/5/2024 8:00:00 PM",
                                    "20240305083000",
                                    "45356.5",
                                    "Mar 05 2024 08:00",
                                    "2024/3/5 下午 02:30:00"};
  const std::string_view alphabet = "0123456789-/.:,T +ZzAPMapm年\xe4";
  std::mt19937 rng(42);
  int ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const size_t length = rng() % 32;
      for (size_t k = 0; k < length; ++k)
        text += alphabet[rng() % alphabet.size()];
    } else {
      text = seeds[rng() % std::size(seeds)];
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !text.empty(); --edits) {
        const size_t at = rng() % text.size();
        switch (rng() % 3) {
          case 0:
            text[at] = alphabet[rng() % alphabet.size()];
            break;
          case 1:
            text.erase(at, 1);
            break;
          default:
            text.insert(at, 1, alphabet[rng() % alphabet.size()]);
        }
      }
    }
    for (const TimestampParser& parser : parsers) {
      Result<int64_t> got = parser.Parse(text);
      ok += got.ok();
      EXPECT_TRUE(got.ok() || !got.status().message().empty());
    }
  }
  EXPECT_GT(ok, 1000);
}

}  // namespace
}  // namespace fh::govern
