#include "ingest/excel_number_format.h"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "common/ascii.h"

namespace fh::ingest {
namespace {

constexpr int64_t kMillisPerDay = 86400000;
constexpr double kMaxSerial = 2958466.0;  // 10000-01-01 in the 1900 system

// Days since 1970-01-01 → civil date (H. Hinnant's algorithm, proleptic Gregorian).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

void AppendTime(int64_t millis, std::string* out) {
  const int64_t seconds = millis / 1000;
  fmt::format_to(std::back_inserter(*out), "{:02}:{:02}:{:02}", seconds / 3600 % 24,
                 seconds / 60 % 60, seconds % 60);
  if (millis % 1000 != 0) fmt::format_to(std::back_inserter(*out), ".{:03}", millis % 1000);
}

}  // namespace

NumberFormatKind BuiltinFormatKind(int id) {
  if ((id >= 14 && id <= 17) || id == 22) return NumberFormatKind::kDate;
  if ((id >= 18 && id <= 21) || id == 45 || id == 47) return NumberFormatKind::kTime;
  if (id == 46) return NumberFormatKind::kDuration;
  // East Asian built-ins: in zh-CN, zh-TW, ja-JP and ko-KR alike, 32-35, 55 and 56 are
  // times of day and the rest of 27-36 and 50-58 dates.
  if ((id >= 32 && id <= 35) || id == 55 || id == 56) return NumberFormatKind::kTime;
  if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return NumberFormatKind::kDate;
  return NumberFormatKind::kNumber;
}

NumberFormatKind ClassifyFormatCode(std::string_view code) {
  bool date = false;
  bool month_or_minute = false;
  bool time = false;
  bool elapsed = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = AsciiLower(code[i]);
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped literal, a space the width of the next character, a fill
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      // [h], [mm], [ss] are elapsed time; [Red], [$-804], [>=100], [DBNum1] are not.
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.find_first_not_of(inside[0]) == std::string_view::npos &&
          std::string_view("hHmMsS").find(inside[0]) != std::string_view::npos) {
        elapsed = true;
      }
      i = close;
    } else if (c == 'd' || c == 'y') {
      date = true;
    } else if (c == 'm') {
      month_or_minute = true;
    } else if (c == 'h' || c == 's') {
      time = true;
    }
  }
  if (elapsed) return NumberFormatKind::kDuration;
  if (date) return NumberFormatKind::kDate;
  if (time) return NumberFormatKind::kTime;
  if (month_or_minute) return NumberFormatKind::kDate;  // "mmm yy" without y is still a month
  return NumberFormatKind::kNumber;
}

bool FormatExcelSerial(double serial, NumberFormatKind kind, bool date1904, std::string* out) {
  // The 1904 system starts 1462 days later, so it reaches 9999-12-31 1462 serials sooner.
  const double max_serial = date1904 ? kMaxSerial - 1462 : kMaxSerial;
  if (kind == NumberFormatKind::kNumber || !std::isfinite(serial) || serial < 0 ||
      serial >= max_serial) {
    return false;
  }
  // Rounded to the millisecond: Excel's binary fractions are never exact (08:30 is
  // 0.354166666666667).
  const auto millis = static_cast<int64_t>(std::llround(serial * kMillisPerDay));
  if (kind == NumberFormatKind::kDuration) {
    const int64_t seconds = millis / 1000;
    std::string text =
        fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    if (millis % 1000 != 0) text += fmt::format(".{:03}", millis % 1000);
    *out = std::move(text);
    return true;
  }
  int64_t days = millis / kMillisPerDay;
  const int64_t time_of_day = millis % kMillisPerDay;
  if ((kind == NumberFormatKind::kTime && days == 0) || (!date1904 && days == 0)) {
    std::string text;
    AppendTime(time_of_day, &text);
    *out = std::move(text);
    return true;
  }
  // Days since 1970-01-01: the 1904 epoch is 1904-01-01; the 1900 system counts
  // 1900-01-01 as day 1 and has a phantom 1900-02-29 as day 60.
  if (date1904) {
    days += -24107;
  } else if (days < 60) {
    days += -25568;
  } else if (days == 60) {
    return false;
  } else {
    days += -25569;
  }
  int64_t year;
  unsigned month;
  unsigned day;
  CivilFromDays(days, &year, &month, &day);
  std::string text = fmt::format("{:04}-{:02}-{:02}", year, month, day);
  if (time_of_day != 0) {
    text += 'T';
    AppendTime(time_of_day, &text);
  }
  *out = std::move(text);
  return true;
}

}  // namespace fh::ingest
