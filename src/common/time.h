// Time: nanosecond timestamps and durations, their text forms (RFC 3339, epoch numbers,
// "1h30m"), and the time points the CLI accepts in --from/--to.
//
// A timestamp is int64 nanoseconds since the Unix epoch, UTC (model's TimestampNs), so the
// representable range is 1677-09-21T00:12:43.145224192Z .. 2262-04-11T23:47:16.854775807Z.
//
// Parse functions never throw and never allocate on success. On failure they return
// InvalidArgument whose message names the problem ("month 13 out of range (01-12)") but not
// the input: callers add the input and where it came from, e.g.
// "data.csv:12: field 'timestamp': month 13 out of range (01-12): '2026-13-01T00:00:00Z'".
// All functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh {

inline constexpr int64_t kNanosPerMicro = 1000;
inline constexpr int64_t kNanosPerMilli = 1000 * kNanosPerMicro;
inline constexpr int64_t kNanosPerSecond = 1000 * kNanosPerMilli;
inline constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
inline constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;
inline constexpr int64_t kNanosPerDay = 24 * kNanosPerHour;
inline constexpr int64_t kNanosPerWeek = 7 * kNanosPerDay;

// A span of nanoseconds in seconds, for reports and rates.
constexpr double NanosToSeconds(int64_t ns) {
  return static_cast<double>(ns) / kNanosPerSecond;
}

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31), and back.
// Exact for any year that fits in int32; dates before 1970 give negative days.
constexpr int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);                        // [0, 399]
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
struct CivilDate {
  int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};
constexpr CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);             // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}
constexpr bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}
// Days in `month` (1..12) of `year`, proleptic Gregorian.
constexpr unsigned DaysInMonth(int64_t year, unsigned month) {
  constexpr unsigned char kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// RFC 3339 date-time → ns since the epoch, UTC:
//   YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)
// 'T' may also be 't' or one space; 'Z' may be 'z'; F is 1-9 digits. The offset is required
// (a time without one is ambiguous) and may be -00:00. Month, day (leap years included),
// hour, minute, second and offset are range-checked. A leap second (SS = 60) is accepted and
// read as the last nanosecond of second 59, so order is kept and no value is invented.
Result<int64_t> ParseRfc3339(std::string_view text);

// ns → "2026-03-01T08:00:00Z", in UTC. The fraction is shown only when non-zero, with 3, 6
// or 9 digits (".5" is written ".500"). Parses back to the same value.
std::string FormatRfc3339(int64_t ns);
// As FormatRfc3339, appending to *out (no allocation once *out has the capacity).
void AppendRfc3339(int64_t ns, std::string* out);

// The unit of a numeric timestamp: of files' epochs (the CLI flag --epoch s|ms|us|ns) and of
// line protocol's `precision`, which adds minutes and hours.
enum class TimeUnit { kNanos, kMicros, kMillis, kSeconds, kMinutes, kHours };
constexpr int64_t NanosPer(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kNanos:
      return 1;
    case TimeUnit::kMicros:
      return kNanosPerMicro;
    case TimeUnit::kMillis:
      return kNanosPerMilli;
    case TimeUnit::kSeconds:
      return kNanosPerSecond;
    case TimeUnit::kMinutes:
      return kNanosPerMinute;
    case TimeUnit::kHours:
      return kNanosPerHour;
  }
  return 1;
}
std::string_view TimeUnitName(TimeUnit unit);            // "ns", "us", "ms", "s", "m", "h"
Result<TimeUnit> ParseEpochUnit(std::string_view text);  // "s", "ms", "us" or "ns"

// A number of `unit`s since the epoch → ns: an optional sign, decimal digits, and a
// fraction down to 1 ns ("1767225600.25" s, "1767225600123.5" ms; none for ns, minutes
// or hours). Values outside the int64 ns range are rejected, not wrapped.
Result<int64_t> ParseEpoch(std::string_view text, TimeUnit unit);

// A duration → ns: one or more <number><unit> parts, e.g. "500ms", "10s", "1h30m", "1.5h".
// Units (case-sensitive, 'm' is minutes): ns, us (or µs), ms, s, m, h, d (24 h), w (7 d).
// Durations are used for windows, intervals and retention, where zero or negative make no
// sense: "0s", "-5m" and a bare number without a unit are rejected. (A point in the past
// is written now-5m; see ParseTimePoint.)
Result<int64_t> ParseDuration(std::string_view text);
// ns → the shortest text ParseDuration reads back: "1h30m", "500ms", "2d", "1w1d", "1s1ns".
// Zero is "0s"; a negative value gets a leading '-'.
std::string FormatDuration(int64_t ns);

// A time point as given to --from/--to, → ns since the epoch:
//   RFC 3339 (see ParseRfc3339)            2026-03-01T08:00:00+08:00
//   a date, meaning its midnight UTC        2026-03-01
//   now, or now followed by ±duration       now, now-15m, now+1h
//   epoch seconds (as ParseEpoch, seconds)  1767225600
Result<int64_t> ParseTimePoint(std::string_view text, int64_t now_ns);

// The current wall-clock time, ns since the epoch.
int64_t NowNs();

}  // namespace fh
