#include "common/time.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace fh {
namespace {

constexpr int64_t kS = kNanosPerSecond;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

struct ValueCase {
  std::string input;
  int64_t expected;
};
struct ErrorCase {
  std::string input;
  std::string message;
};

TEST(Rfc3339Test, Parses) {
  const ValueCase cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-03-01T08:00:00Z", 1772352000 * kS},
      {"2026-03-01t08:00:00z", 1772352000 * kS},
      {"2026-03-01 08:00:00Z", 1772352000 * kS},
      {"2026-03-01T16:00:00+08:00", 1772352000 * kS},
      {"2026-03-01T08:00:00-00:00", 1772352000 * kS},
      {"2026-03-01T02:30:00-05:30", 1772352000 * kS},
      {"2026-03-01T00:00:00+08:00", 1772294400 * kS},
      {"2026-03-01T00:30:00+01:00", 1772321400 * kS},  // the day before, in UTC
      {"2026-01-01T00:00:00+23:59", 1767225600 * kS - 86340 * kS},
      {"2026-03-01T08:00:00.5Z", 1772352000 * kS + 500000000},
      {"2026-03-01T08:00:00.12Z", 1772352000 * kS + 120000000},
      {"2026-03-01T08:00:00.123Z", 1772352000 * kS + 123000000},
      {"2026-03-01T08:00:00.1234Z", 1772352000 * kS + 123400000},
      {"2026-03-01T08:00:00.123456Z", 1772352000 * kS + 123456000},
      {"2026-03-01T08:00:00.000000001Z", 1772352000 * kS + 1},
      {"2026-03-01T16:00:00.123456789+08:00", 1772352000 * kS + 123456789},
      {"2000-02-29T00:00:00Z", 951782400 * kS},  // divisible by 400: leap
      {"2024-02-29T12:00:00Z", 1709208000 * kS},
      {"1969-12-31T23:59:59Z", -kS},
      {"1969-12-31T23:59:59.999999999Z", -1},
      {"1970-01-01T00:59:59.999999999+01:00", -1},
      {"1900-01-01T00:00:00Z", -2208988800 * kS},
      {"2016-12-31T23:59:60Z", 1483228799 * kS + 999999999},  // leap second: end of :59
      {"2016-12-31T23:59:60.5Z", 1483228799 * kS + 999999999},
      {"1677-09-21T00:12:43.145224192Z", kMin},
      {"2262-04-11T23:47:16.854775807Z", kMax},
      {"2262-04-12T07:47:16.854775807+08:00", kMax},
  };
  for (const ValueCase& c : cases) {
    Result<int64_t> got = ParseRfc3339(c.input);
    ASSERT_OK(got) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(Rfc3339Test, RejectsWithReason) {
  const std::string form = "(expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM))";
  const ErrorCase cases[] = {
      {"", "not an RFC 3339 timestamp " + form},
      {"abc", "not an RFC 3339 timestamp " + form},
      {"1767225600", "not an RFC 3339 timestamp " + form},
      {"2026-3-1T08:00:00Z", "not an RFC 3339 timestamp " + form},
      {"2026-03-01T8:00:00Z", "not an RFC 3339 timestamp " + form},
      {"2026-03-01T08:00Z", "not an RFC 3339 timestamp " + form},
      {"2026-03-01", "date without a time " + form},
      {"2026-03-01X08:00:00Z", "expected 'T' between date and time " + form},
      {"2026-03-01T08:00:00", "missing time zone offset (Z or ±HH:MM)"},
      {"2026-03-01T08:00:00.5", "missing time zone offset (Z or ±HH:MM)"},
      {"2026-03-01T08:00:00+0800", "bad time zone offset (expected Z or ±HH:MM)"},
      {"2026-03-01T08:00:00+8:00", "bad time zone offset (expected Z or ±HH:MM)"},
      {"2026-03-01T08:00:00 UTC", "bad time zone offset (expected Z or ±HH:MM)"},
      {"2026-03-01T08:00:00ZZ", "unexpected text after the time zone offset"},
      {"2026-03-01T08:00:00+08:00 ", "unexpected text after the time zone offset"},
      {"2026-03-01T08:00:00.Z", "no digits after '.' " + form},
      {"2026-03-01T08:00:00.1234567891Z", "fraction has more than 9 digits (resolution is 1 ns)"},
      {"2026-13-01T00:00:00Z", "month 13 out of range (01-12)"},
      {"2026-00-01T00:00:00Z", "month 00 out of range (01-12)"},
      {"2026-01-00T00:00:00Z", "day 00 out of range for 2026-01 (01-31)"},
      {"2026-04-31T00:00:00Z", "day 31 out of range for 2026-04 (01-30)"},
      {"2023-02-29T00:00:00Z", "day 29 out of range for 2023-02 (01-28)"},
      {"1900-02-29T00:00:00Z", "day 29 out of range for 1900-02 (01-28)"},  // not leap
      {"2024-02-30T00:00:00Z", "day 30 out of range for 2024-02 (01-29)"},
      {"2026-03-01T24:00:00Z", "hour 24 out of range (00-23)"},
      {"2026-03-01T08:60:00Z", "minute 60 out of range (00-59)"},
      {"2026-03-01T08:00:61Z", "second 61 out of range (00-60)"},
      {"2026-03-01T08:00:00+24:00", "time zone offset +24:00 out of range (at most ±23:59)"},
      {"2026-03-01T08:00:00-01:60", "time zone offset -01:60 out of range (at most ±23:59)"},
      {"2262-04-11T23:47:16.854775808Z",
       "outside the representable range "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z"},
      {"1677-09-21T00:12:43.145224191Z",
       "outside the representable range "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z"},
      {"0000-01-01T00:00:00Z",
       "outside the representable range "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z"},
      {"9999-12-31T23:59:59Z",
       "outside the representable range "
       "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z"},
  };
  for (const ErrorCase& c : cases) {
    Result<int64_t> got = ParseRfc3339(c.input);
    ASSERT_FALSE(got.ok()) << c.input << " parsed as " << *got;
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << c.input;
    EXPECT_EQ(got.status().message(), c.message) << c.input;
  }
}

TEST(Rfc3339Test, Formats) {
  const struct {
    int64_t ns;
    std::string expected;
  } cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {1, "1970-01-01T00:00:00.000000001Z"},
      {1000, "1970-01-01T00:00:00.000001Z"},
      {1000000, "1970-01-01T00:00:00.001Z"},
      {500000000, "1970-01-01T00:00:00.500Z"},
      {123456789, "1970-01-01T00:00:00.123456789Z"},
      {120000000, "1970-01-01T00:00:00.120Z"},
      {123456000, "1970-01-01T00:00:00.123456Z"},
      {-1, "1969-12-31T23:59:59.999999999Z"},
      {-kS, "1969-12-31T23:59:59Z"},
      {1772352000 * kS, "2026-03-01T08:00:00Z"},
      {951782400 * kS, "2000-02-29T00:00:00Z"},
      {-2208988800 * kS, "1900-01-01T00:00:00Z"},
      {kMin, "1677-09-21T00:12:43.145224192Z"},
      {kMax, "2262-04-11T23:47:16.854775807Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatRfc3339(c.ns), c.expected) << c.ns;
  }
  std::string out = "t=";
  AppendRfc3339(1772352000 * kS, &out);
  EXPECT_EQ(out, "t=2026-03-01T08:00:00Z");
}

TEST(Rfc3339Test, RoundTrips) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> any(kMin, kMax);
  for (int i = 0; i < 100000; ++i) {
    int64_t ns = any(rng);
    if (i % 3 == 1) ns -= ns % kS;  // whole seconds
    if (i % 3 == 2) ns -= ns % kNanosPerMilli;
    Result<int64_t> back = ParseRfc3339(FormatRfc3339(ns));
    ASSERT_OK(back) << ns << ": " << back.status().ToString();
    ASSERT_EQ(*back, ns) << FormatRfc3339(ns);
  }
}

TEST(CivilTest, AgreesDayByDay) {
  // Every day from 1600 to 2400 follows the previous one, including leap days.
  int64_t days = DaysFromCivil(1600, 1, 1);
  EXPECT_EQ(days, -11676096000 / 86400);
  for (; days < DaysFromCivil(2400, 12, 31); ++days) {
    const CivilDate d = CivilFromDays(days);
    ASSERT_EQ(DaysFromCivil(d.year, d.month, d.day), days);
    const CivilDate next = CivilFromDays(days + 1);
    const bool same_month = next.year == d.year && next.month == d.month && next.day == d.day + 1;
    const bool new_month = next.day == 1 && (next.month == d.month % 12 + 1);
    ASSERT_TRUE(same_month || new_month) << d.year << "-" << d.month << "-" << d.day;
  }
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2026));
}

TEST(EpochTest, Units) {
  for (TimeUnit unit :
       {TimeUnit::kSeconds, TimeUnit::kMillis, TimeUnit::kMicros, TimeUnit::kNanos}) {
    Result<TimeUnit> back = ParseEpochUnit(TimeUnitName(unit));
    ASSERT_OK(back);
    EXPECT_EQ(*back, unit);
  }
  EXPECT_EQ(NanosPer(TimeUnit::kHours), 3'600'000'000'000);
  EXPECT_EQ(TimeUnitName(TimeUnit::kMinutes), "m");
  // Minutes and hours (line protocol's precision) take whole numbers only.
  EXPECT_EQ(*ParseEpoch("2", TimeUnit::kMinutes), 120'000'000'000);
  EXPECT_FALSE(ParseEpoch("1.5", TimeUnit::kHours).ok());
  Result<TimeUnit> bad = ParseEpochUnit("sec");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown epoch unit 'sec' (expected s, ms, us or ns)");
}

TEST(EpochTest, Parses) {
  const struct {
    std::string input;
    TimeUnit unit;
    int64_t expected;
  } cases[] = {
      {"0", TimeUnit::kSeconds, 0},
      {"1767225600", TimeUnit::kSeconds, 1767225600 * kS},
      {"1767225600.25", TimeUnit::kSeconds, 1767225600 * kS + 250000000},
      {"1767225600.000000001", TimeUnit::kSeconds, 1767225600 * kS + 1},
      {"+5", TimeUnit::kSeconds, 5 * kS},
      {"-1", TimeUnit::kSeconds, -kS},
      {"-1.5", TimeUnit::kSeconds, -1500000000},
      {"9223372036", TimeUnit::kSeconds, 9223372036 * kS},
      {"1767225600123", TimeUnit::kMillis, 1767225600123 * kNanosPerMilli},
      {"1767225600123.5", TimeUnit::kMillis, 1767225600123 * kNanosPerMilli + 500000},
      {"1767225600123456", TimeUnit::kMicros, 1767225600123456 * kNanosPerMicro},
      {"1767225600123456.789", TimeUnit::kMicros, 1767225600123456789},
      {"1767225600123456789", TimeUnit::kNanos, 1767225600123456789},
      {"9223372036854775807", TimeUnit::kNanos, kMax},
      {"-9223372036854775808", TimeUnit::kNanos, kMin},
      {"00000000000000000000001", TimeUnit::kNanos, 1},
  };
  for (const auto& c : cases) {
    Result<int64_t> got = ParseEpoch(c.input, c.unit);
    ASSERT_OK(got) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(EpochTest, RejectsWithReason) {
  const std::string range = "out of range (int64 nanoseconds: years 1677-2262)";
  const struct {
    std::string input;
    TimeUnit unit;
    std::string message;
  } cases[] = {
      {"", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"-", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"abc", TimeUnit::kMillis, "not a number of ms since the epoch"},
      {"12a", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"1.", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {".5", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"1e9", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"1.5.", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"2026-03-01T08:00:00Z", TimeUnit::kSeconds, "not a number of s since the epoch"},
      {"1.1234567891", TimeUnit::kSeconds,
       "more than 9 fractional digits for unit 's' (resolution is 1 ns)"},
      {"1.1234567", TimeUnit::kMillis,
       "more than 6 fractional digits for unit 'ms' (resolution is 1 ns)"},
      {"1.5", TimeUnit::kNanos, "more than 0 fractional digits for unit 'ns' (resolution is 1 ns)"},
      {"9223372037", TimeUnit::kSeconds, range},
      {"-9223372037", TimeUnit::kSeconds, range},
      {"9223372036854775808", TimeUnit::kNanos, range},
      {"-9223372036854775809", TimeUnit::kNanos, range},
      {"99999999999999999999999", TimeUnit::kSeconds, range},
  };
  for (const auto& c : cases) {
    Result<int64_t> got = ParseEpoch(c.input, c.unit);
    ASSERT_FALSE(got.ok()) << c.input << " parsed as " << *got;
    EXPECT_EQ(got.status().message(), c.message) << c.input;
  }
}

TEST(DurationTest, Parses) {
  const ValueCase cases[] = {
      {"100ns", 100},
      {"250us", 250 * kNanosPerMicro},
      {"250\xC2\xB5s", 250 * kNanosPerMicro},
      {"500ms", 500 * kNanosPerMilli},
      {"10s", 10 * kS},
      {"1m", kNanosPerMinute},
      {"1h", kNanosPerHour},
      {"1h30m", 90 * kNanosPerMinute},
      {"1h0m", kNanosPerHour},
      {"2d", 2 * kNanosPerDay},
      {"1w", kNanosPerWeek},
      {"1w2d3h4m5s6ms7us8ns", kNanosPerWeek + 2 * kNanosPerDay + 3 * kNanosPerHour +
                                  4 * kNanosPerMinute + 5 * kS + 6 * kNanosPerMilli +
                                  7 * kNanosPerMicro + 8},
      {"1.5h", 90 * kNanosPerMinute},
      {"0.5s", kS / 2},
      {".25s", kS / 4},
      {"1.000000001s", kS + 1},
      {"0.1ns1s", kS},  // below 1 ns is dropped
      {"106751d", 106751 * kNanosPerDay},
  };
  for (const ValueCase& c : cases) {
    Result<int64_t> got = ParseDuration(c.input);
    ASSERT_OK(got) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(DurationTest, RejectsWithReason) {
  const std::string units = "(use ns, us, ms, s, m, h, d or w)";
  const ErrorCase cases[] = {
      {"", "empty duration (e.g. 500ms, 10s, 1h30m)"},
      {"0s", "duration must be greater than zero"},
      {"0h0m", "duration must be greater than zero"},
      {"-5m", "negative duration (a duration is positive; e.g. now-15m for a time)"},
      {"10", "missing unit after '10' " + units},
      {"1h30", "missing unit after '30' " + units},
      {"5x", "unknown unit 'x' " + units},
      {"1H", "unknown unit 'H' " + units},
      {"1 h", "unknown unit ' h' " + units},
      {"h", "expected a number at 'h' (e.g. 500ms, 10s, 1h30m)"},
      {"1h.m", "expected a number at '.m' (e.g. 500ms, 10s, 1h30m)"},
      {"106752d", "duration out of range (at most about 292 years)"},
      {"99999999999999999999s", "duration out of range (at most about 292 years)"},
      {"9223372036854775807ns1ns", "duration out of range (at most about 292 years)"},
  };
  for (const ErrorCase& c : cases) {
    Result<int64_t> got = ParseDuration(c.input);
    ASSERT_FALSE(got.ok()) << c.input << " parsed as " << *got;
    EXPECT_EQ(got.status().message(), c.message) << c.input;
  }
}

TEST(DurationTest, Formats) {
  const struct {
    int64_t ns;
    std::string expected;
  } cases[] = {
      {0, "0s"},
      {1, "1ns"},
      {1500, "1500ns"},
      {250 * kNanosPerMicro, "250us"},
      {1500 * kNanosPerMicro, "1500us"},
      {500 * kNanosPerMilli, "500ms"},
      {10 * kS, "10s"},
      {10 * kS + 500 * kNanosPerMilli, "10s500ms"},
      {kS + 1, "1s1ns"},
      {90 * kNanosPerMinute, "1h30m"},
      {2 * kNanosPerDay, "2d"},
      {8 * kNanosPerDay, "1w1d"},
      {-90 * kS, "-1m30s"},
      {kMax, "15250w1d23h47m16s854775807ns"},
      {kMin, "-15250w1d23h47m16s854775808ns"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatDuration(c.ns), c.expected) << c.ns;
  }
}

TEST(DurationTest, RoundTrips) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(1, kMax);
  for (int i = 0; i < 20000; ++i) {
    int64_t ns = any(rng) >> (i % 60);
    if (ns == 0) continue;
    Result<int64_t> back = ParseDuration(FormatDuration(ns));
    ASSERT_OK(back) << FormatDuration(ns) << ": " << back.status().ToString();
    ASSERT_EQ(*back, ns) << FormatDuration(ns);
  }
}

TEST(TimePointTest, Parses) {
  const int64_t now = 1767225600 * kS + 123;
  const ValueCase cases[] = {
      {"now", now},
      {"now-15m", now - 15 * kNanosPerMinute},
      {"now+1h", now + kNanosPerHour},
      {"now-1h30m", now - 90 * kNanosPerMinute},
      {"2026-03-01T08:00:00Z", 1772352000 * kS},
      {"2026-03-01T16:00:00+08:00", 1772352000 * kS},
      {"2026-03-01", 1772323200 * kS},
      {"1767225600", 1767225600 * kS},
      {"1767225600.5", 1767225600 * kS + kS / 2},
      {"-1", -kS},
  };
  for (const ValueCase& c : cases) {
    Result<int64_t> got = ParseTimePoint(c.input, now);
    ASSERT_OK(got) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(TimePointTest, RejectsWithReason) {
  const int64_t now = 1767225600 * kS;
  const ErrorCase cases[] = {
      {"",
       "not a time point (expected RFC 3339 like 2026-03-01T08:00:00Z, a date, now, "
       "now-15m or epoch seconds)"},
      {"yesterday",
       "not a time point (expected RFC 3339 like 2026-03-01T08:00:00Z, a date, "
       "now, now-15m or epoch seconds)"},
      {"nowish", "expected now, now-DURATION or now+DURATION (e.g. now-15m)"},
      {"now-", "after 'now': empty duration (e.g. 500ms, 10s, 1h30m)"},
      {"now-15", "after 'now': missing unit after '15' (use ns, us, ms, s, m, h, d or w)"},
      {"now-0s", "after 'now': duration must be greater than zero"},
      {"now+15000w", "time point out of range"},
      {"2026-13-01", "month 13 out of range (01-12)"},
      {"2026-03-01T08:00:00", "missing time zone offset (Z or ±HH:MM)"},
      {"99999999999", "out of range (int64 nanoseconds: years 1677-2262)"},
  };
  for (const ErrorCase& c : cases) {
    Result<int64_t> got = ParseTimePoint(c.input, now);
    ASSERT_FALSE(got.ok()) << c.input << " parsed as " << *got;
    EXPECT_EQ(got.status().message(), c.message) << c.input;
  }
}

TEST(NowTest, IsCurrent) {
  const int64_t now = NowNs();
  EXPECT_GT(now, *ParseRfc3339("2025-01-01T00:00:00Z"));
  EXPECT_LT(now, *ParseRfc3339("2200-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace fh
