#include "govern/timestamp_format.h"

#include <charconv>
#include <cmath>

#include "common/time.h"

namespace fh::govern {

enum class TimestampParser::Kind : uint8_t {
  kAuto,
  kRfc3339,
  kEpochS,
  kEpochMs,
  kEpochUs,
  kEpochNs,
  kEpoch,
  kExcel,
  kPattern,
};

namespace {

using Kind = TimestampParser::Kind;
using Step = TimestampParser::Step;
using Format = TimestampParser::Format;
using Zone = TimestampParser::Zone;

constexpr int64_t kSecondsPerDay = 86400;
constexpr size_t kMaxPatternSize = 1000;

// Step::what.
enum What : uint8_t {
  kLiteral,
  kSpaces,
  kYear4,
  kYear2,
  kMonth,
  kMonthName,
  kDay,
  kHour,
  kHour12,
  kMinute,
  kSecond,
  kFraction,
  kOptionalFraction,
  kAmPm,
  kOffset,
};

// What a text says, before range checks and the time zone.
struct Fields {
  int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
  uint32_t nanos = 0;
  int pm = -1;  // -1: a 24-hour clock; 0: AM; 1: PM
  bool has_offset = false;
  int offset_sign = 1;
  unsigned offset_hour = 0, offset_minute = 0;
};

// Why a format did not match. Parse tries several formats per call, so a miss must cost
// no allocation: the message is made only once all have failed.
enum class Why : uint8_t {
  kNone,
  kLiteral,
  kDigits,
  kMonthName,
  kAmPm,
  kOffset,
  kLongFraction,
  kTrailing,
  kMonth,
  kDay,
  kHour,
  kHour12,
  kMinute,
  kSecond,
  kOffsetRange,
  kRange,
  kNotAuto,
  kNotRfc3339,
  kNotEpoch,
  kNotExcel,
  kExcel60,
  kExcelBelow1,
  kExcelRange,
  kStatus,
};

struct Failure {
  Why why = Why::kNone;
  size_t pos = 0;   // in the trimmed text
  size_t step = 0;  // of the pattern
  Fields fields;    // for range messages
  Status status;    // for kStatus: a message from common/time.h (rare: range errors)
};

inline bool IsDigit(char c) {
  return static_cast<unsigned char>(c - '0') <= 9;
}
inline char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned char kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Between min and max digits at *pos.
bool ReadNumber(std::string_view s, size_t* pos, int min_digits, int max_digits, unsigned* value) {
  size_t i = *pos;
  unsigned v = 0;
  while (i < s.size() && IsDigit(s[i]) && static_cast<int>(i - *pos) < max_digits) {
    v = v * 10 + static_cast<unsigned>(s[i++] - '0');
  }
  if (static_cast<int>(i - *pos) < min_digits) return false;
  *pos = i;
  *value = v;
  return true;
}

// 1-9 digits of a fraction of a second at *pos → nanoseconds.
Why ReadFraction(std::string_view s, size_t* pos, uint32_t* nanos) {
  size_t i = *pos;
  uint32_t v = 0;
  while (i < s.size() && IsDigit(s[i]) && i - *pos < 9) {
    v = v * 10 + static_cast<uint32_t>(s[i++] - '0');
  }
  const size_t digits = i - *pos;
  if (digits == 0) return Why::kDigits;
  if (i < s.size() && IsDigit(s[i])) {
    *pos = i;
    return Why::kLongFraction;
  }
  for (size_t k = digits; k < 9; ++k)
    v *= 10;
  *nanos = v;
  *pos = i;
  return Why::kNone;
}

bool MatchIgnoringCase(std::string_view s, size_t pos, std::string_view word) {
  if (s.size() - pos < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (Lower(s[pos + k]) != word[k]) return false;
  }
  return true;
}

bool ReadMonthName(std::string_view s, size_t* pos, unsigned* month) {
  static constexpr std::string_view kNames[12] = {"january",   "february", "march",    "april",
                                                  "may",       "june",     "july",     "august",
                                                  "september", "october",  "november", "december"};
  for (unsigned m = 0; m < 12; ++m) {
    const std::string_view name = kNames[m];
    const size_t length = MatchIgnoringCase(s, *pos, name)                ? name.size()
                          : MatchIgnoringCase(s, *pos, name.substr(0, 3)) ? 3
                                                                          : 0;
    if (length != 0) {
      *pos += length;
      *month = m + 1;
      return true;
    }
  }
  return false;
}

// AM/PM in any case, or the Chinese 上午/下午 of Windows' zh-CN locale.
bool ReadAmPm(std::string_view s, size_t* pos, int* pm) {
  if (MatchIgnoringCase(s, *pos, "am") || MatchIgnoringCase(s, *pos, "pm")) {
    *pm = Lower(s[*pos]) == 'p';
    *pos += 2;
    return true;
  }
  const std::string_view rest = s.substr(*pos);
  if (rest.starts_with("上午") || rest.starts_with("下午")) {
    *pm = rest.starts_with("下午");
    *pos += std::string_view("上午").size();
    return true;
  }
  return false;
}

// Z, ±HH:MM, ±HHMM or ±HH.
bool ReadOffset(std::string_view s, size_t* pos, Fields* f) {
  size_t i = *pos;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    f->has_offset = true;
    *pos = i + 1;
    return true;
  }
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
  f->offset_sign = s[i++] == '-' ? -1 : 1;
  if (!ReadNumber(s, &i, 2, 2, &f->offset_hour)) return false;
  f->offset_minute = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!ReadNumber(s, &i, 2, 2, &f->offset_minute)) return false;
  } else if (i < s.size() && IsDigit(s[i])) {
    if (!ReadNumber(s, &i, 2, 2, &f->offset_minute)) return false;
  }
  f->has_offset = true;
  *pos = i;
  return true;
}

// [+-]digits[.digits]: what ParseEpoch and "excel" read.
bool LooksNumeric(std::string_view s, bool allow_sign) {
  size_t i = 0;
  if (allow_sign && i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t start = i;
  while (i < s.size() && IsDigit(s[i]))
    ++i;
  if (i == start) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i]))
      ++i;
  }
  return i == s.size();
}

// The shape ParseRfc3339 reads, YYYY-MM-DDTHH:MM:SS[.F](Z|±HH:MM), so that calling it
// fails (and allocates its error) only for values out of range.
bool LooksRfc3339(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  const size_t n = s.size();
  if (n < 20) return false;
  for (size_t k = 0; k < kShape.size(); ++k) {
    const char want = kShape[k];
    const char c = s[k];
    const bool ok = want == 'd'   ? IsDigit(c)
                    : want == 'T' ? c == 'T' || c == 't' || c == ' '
                                  : c == want;
    if (!ok) return false;
  }
  size_t i = kShape.size();
  if (s[i] == '.') {
    ++i;
    while (i < n && IsDigit(s[i]))
      ++i;
  }
  if (i < n && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == n;
  return n - i == 6 && (s[i] == '+' || s[i] == '-') && IsDigit(s[i + 1]) && IsDigit(s[i + 2]) &&
         s[i + 3] == ':' && IsDigit(s[i + 4]) && IsDigit(s[i + 5]);
}

bool Fail(Failure* failure, Why why, size_t pos = 0) {
  failure->why = why;
  failure->pos = pos;
  return false;
}

// Range checks, then local time → UTC through the offset or the zone.
bool Resolve(const Fields& f, const Zone& zone, int64_t* ns, Failure* failure) {
  auto out_of_range = [&](Why why) {
    failure->fields = f;
    return Fail(failure, why);
  };
  unsigned hour = f.hour;
  if (f.pm >= 0) {
    if (hour < 1 || hour > 12) return out_of_range(Why::kHour12);
    hour = hour % 12 + (f.pm != 0 ? 12 : 0);
  }
  if (f.month < 1 || f.month > 12) return out_of_range(Why::kMonth);
  if (f.day < 1 || f.day > DaysInMonth(f.year, f.month)) return out_of_range(Why::kDay);
  if (hour > 23) return out_of_range(Why::kHour);
  if (f.minute > 59) return out_of_range(Why::kMinute);
  if (f.second > 60) return out_of_range(Why::kSecond);
  if (f.offset_hour > 23 || f.offset_minute > 59) return out_of_range(Why::kOffsetRange);
  unsigned second = f.second;
  auto nanos = static_cast<int64_t>(f.nanos);
  if (second == 60) {  // leap second: the last nanosecond of second 59, as ParseRfc3339
    second = 59;
    nanos = kNanosPerSecond - 1;
  }
  int64_t seconds;
  if (f.has_offset || zone.fixed) {
    const int64_t offset =
        f.has_offset
            ? f.offset_sign * static_cast<int64_t>(f.offset_hour * 3600 + f.offset_minute * 60)
            : zone.fixed_offset_seconds;
    seconds = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay +
              (hour * 3600 + f.minute * 60 + second) - offset;
  } else {
    // pre: the offset before a transition, for times skipped or repeated by it.
    const cctz::civil_second civil(f.year, static_cast<int>(f.month), static_cast<int>(f.day),
                                   static_cast<int>(hour), static_cast<int>(f.minute),
                                   static_cast<int>(second));
    seconds = zone.zone.lookup(civil).pre.time_since_epoch().count();
  }
  if (seconds < 0 && nanos > 0) {  // so that the earliest instant does not overflow
    ++seconds;
    nanos -= kNanosPerSecond;
  }
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, ns) ||
      __builtin_add_overflow(*ns, nanos, ns)) {
    return Fail(failure, Why::kRange);
  }
  return true;
}

bool ParsePattern(const Format& format, std::string_view s, Fields* f, Failure* failure) {
  size_t i = 0;
  for (size_t k = 0; k < format.steps.size(); ++k) {
    const Step& step = format.steps[k];
    failure->step = k;
    switch (step.what) {
      case kLiteral: {
        const std::string_view literal(format.text.data() + step.literal_offset, step.literal_size);
        if (s.substr(i, literal.size()) != literal) return Fail(failure, Why::kLiteral, i);
        i += literal.size();
        break;
      }
      case kSpaces:
        if (i >= s.size() || s[i] != ' ') return Fail(failure, Why::kLiteral, i);
        while (i < s.size() && s[i] == ' ')
          ++i;
        break;
      case kYear4:
      case kYear2: {
        const int digits = step.what == kYear4 ? 4 : 2;
        unsigned year = 0;
        if (!ReadNumber(s, &i, digits, digits, &year)) return Fail(failure, Why::kDigits, i);
        f->year = step.what == kYear4 ? year : (year < 69 ? 2000 : 1900) + year;
        break;
      }
      case kMonthName:
        if (!ReadMonthName(s, &i, &f->month)) return Fail(failure, Why::kMonthName, i);
        break;
      case kMonth:
      case kDay:
      case kHour:
      case kHour12:
      case kMinute:
      case kSecond: {
        unsigned* field = step.what == kMonth                          ? &f->month
                          : step.what == kDay                          ? &f->day
                          : step.what == kHour || step.what == kHour12 ? &f->hour
                          : step.what == kMinute                       ? &f->minute
                                                                       : &f->second;
        if (!ReadNumber(s, &i, 1, 2, field)) return Fail(failure, Why::kDigits, i);
        break;
      }
      case kOptionalFraction:
        if (i >= s.size() || s[i] != step.separator) break;
        ++i;
        [[fallthrough]];
      case kFraction: {
        const Why why = ReadFraction(s, &i, &f->nanos);
        if (why != Why::kNone) return Fail(failure, why, i);
        break;
      }
      case kAmPm:
        if (!ReadAmPm(s, &i, &f->pm)) return Fail(failure, Why::kAmPm, i);
        break;
      case kOffset:
        if (!ReadOffset(s, &i, f)) return Fail(failure, Why::kOffset, i);
        break;
    }
  }
  if (i != s.size()) return Fail(failure, Why::kTrailing, i);
  return true;
}

// The epoch unit of a number by its count of digits before the point (see the header).
EpochUnit UnitByMagnitude(std::string_view s) {
  size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
  while (i < s.size() && s[i] == '0')
    ++i;
  size_t digits = 0;
  while (i + digits < s.size() && IsDigit(s[i + digits]))
    ++digits;
  if (digits <= 10) return EpochUnit::kSeconds;
  if (digits <= 13) return EpochUnit::kMillis;
  if (digits <= 16) return EpochUnit::kMicros;
  return EpochUnit::kNanos;
}

bool ParseEpochNumber(std::string_view s, EpochUnit unit, int64_t* ns, Failure* failure) {
  if (!LooksNumeric(s, true)) return Fail(failure, Why::kNotEpoch);
  Result<int64_t> r = ParseEpoch(s, unit);
  if (!r.ok()) {
    failure->status = r.status();
    return Fail(failure, Why::kStatus);
  }
  *ns = *r;
  return true;
}

// YYYYMMDD or YYYYMMDDHHMMSS with a year in 1900-2099, left to Resolve to range-check.
bool ReadCompact(std::string_view s, Fields* f) {
  if ((s.size() != 8 && s.size() != 14) || !IsDigit(s[0])) return false;
  size_t i = 0;
  unsigned year = 0;
  if (!ReadNumber(s, &i, 4, 4, &year) || year < 1900 || year > 2099) return false;
  f->year = year;
  // All digits (LooksNumeric without a point, of this length): these reads cannot fail.
  bool ok = ReadNumber(s, &i, 2, 2, &f->month) && ReadNumber(s, &i, 2, 2, &f->day);
  if (s.size() == 14) {
    ok = ok && ReadNumber(s, &i, 2, 2, &f->hour) && ReadNumber(s, &i, 2, 2, &f->minute) &&
         ReadNumber(s, &i, 2, 2, &f->second);
  }
  return ok;
}

bool ParseAuto(std::string_view s, bool day_first, const Zone& zone, int64_t* ns,
               Failure* failure) {
  Fields f;
  if (LooksNumeric(s, true)) {
    if (ReadCompact(s, &f)) return Resolve(f, zone, ns, failure);
    return ParseEpochNumber(s, UnitByMagnitude(s), ns, failure);
  }
  if (LooksRfc3339(s)) {  // the common case, read eight bytes at a time
    Result<int64_t> r = ParseRfc3339(s);
    if (r.ok()) {
      *ns = *r;
      return true;
    }  // out of range: the careful path below says what is wrong
  }
  size_t i = 0;
  unsigned a = 0, b = 0, year = 0;
  if (s.size() > 4 && ReadNumber(s, &i, 4, 4, &year) &&
      (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
    const char separator = s[i++];
    if (!ReadNumber(s, &i, 1, 2, &f.month) || i >= s.size() || s[i++] != separator ||
        !ReadNumber(s, &i, 1, 2, &f.day)) {
      return Fail(failure, Why::kNotAuto, i);
    }
  } else {
    i = 0;
    if (!ReadNumber(s, &i, 1, 2, &a) || i >= s.size()) return Fail(failure, Why::kNotAuto, i);
    const char separator = s[i];
    if (separator != '.' && separator != '/' && separator != '-') {
      return Fail(failure, Why::kNotAuto, i);
    }
    ++i;
    if (!ReadNumber(s, &i, 1, 2, &b) || i >= s.size() || s[i++] != separator ||
        !ReadNumber(s, &i, 4, 4, &year) || (i < s.size() && IsDigit(s[i]))) {
      return Fail(failure, Why::kNotAuto, i);
    }
    const bool day_before_month = separator == '.' || day_first;
    f.day = day_before_month ? a : b;
    f.month = day_before_month ? b : a;
  }
  f.year = year;
  if (i == s.size()) return Resolve(f, zone, ns, failure);
  if (s[i] == 'T' || s[i] == 't') {
    ++i;
  } else if (s[i] == ' ') {
    while (i < s.size() && s[i] == ' ')
      ++i;
    if (ReadAmPm(s, &i, &f.pm)) {
      while (i < s.size() && s[i] == ' ')
        ++i;
    }
  } else {
    return Fail(failure, Why::kNotAuto, i);
  }
  if (!ReadNumber(s, &i, 1, 2, &f.hour) || i >= s.size() || s[i++] != ':' ||
      !ReadNumber(s, &i, 2, 2, &f.minute)) {
    return Fail(failure, Why::kNotAuto, i);
  }
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!ReadNumber(s, &i, 2, 2, &f.second)) return Fail(failure, Why::kNotAuto, i);
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      const Why why = ReadFraction(s, &i, &f.nanos);
      if (why != Why::kNone) return Fail(failure, why == Why::kDigits ? Why::kNotAuto : why, i);
    }
  }
  size_t j = i;
  while (j < s.size() && s[j] == ' ')
    ++j;
  if (f.pm < 0 && ReadAmPm(s, &j, &f.pm)) i = j;
  j = i;
  while (j < s.size() && s[j] == ' ')
    ++j;
  if (j < s.size() && (s[j] == 'Z' || s[j] == 'z' || s[j] == '+' || s[j] == '-')) {
    if (!ReadOffset(s, &j, &f)) return Fail(failure, Why::kOffset, j);
    i = j;
  }
  if (i != s.size()) return Fail(failure, Why::kNotAuto, i);
  return Resolve(f, zone, ns, failure);
}

// Days of Excel's 1900 system, whose day 60 is the 1900-02-29 Lotus 1-2-3 invented.
bool ParseExcel(std::string_view s, const Zone& zone, int64_t* ns, Failure* failure) {
  double serial = 0;
  if (!LooksNumeric(s, false) ||
      std::from_chars(s.data(), s.data() + s.size(), serial).ec != std::errc()) {
    return Fail(failure, Why::kNotExcel);
  }
  if (serial < 1) return Fail(failure, Why::kExcelBelow1);
  if (serial >= 2958466) return Fail(failure, Why::kExcelRange);  // after 9999-12-31
  constexpr int64_t kMillisPerDay = kSecondsPerDay * 1000;
  const auto millis = static_cast<int64_t>(std::llround(serial * kMillisPerDay));
  const int64_t day = millis / kMillisPerDay;
  const int64_t ms = millis % kMillisPerDay;
  if (day == 60) return Fail(failure, Why::kExcel60);
  const CivilDate date =
      CivilFromDays(day + (day < 60 ? DaysFromCivil(1899, 12, 31) : DaysFromCivil(1899, 12, 30)));
  Fields f;
  f.year = date.year;
  f.month = date.month;
  f.day = date.day;
  f.hour = static_cast<unsigned>(ms / 3600000);
  f.minute = static_cast<unsigned>(ms / 60000 % 60);
  f.second = static_cast<unsigned>(ms / 1000 % 60);
  f.nanos = static_cast<uint32_t>(ms % 1000 * kNanosPerMilli);
  return Resolve(f, zone, ns, failure);
}

bool ParseWith(const Format& format, std::string_view s, const Zone& zone, bool day_first,
               int64_t* ns, Failure* failure) {
  switch (format.kind) {
    case Kind::kAuto:
      return ParseAuto(s, day_first, zone, ns, failure);
    case Kind::kRfc3339: {
      if (!LooksRfc3339(s)) return Fail(failure, Why::kNotRfc3339);
      Result<int64_t> r = ParseRfc3339(s);
      if (!r.ok()) {
        failure->status = r.status();
        return Fail(failure, Why::kStatus);
      }
      *ns = *r;
      return true;
    }
    case Kind::kEpochS:
      return ParseEpochNumber(s, EpochUnit::kSeconds, ns, failure);
    case Kind::kEpochMs:
      return ParseEpochNumber(s, EpochUnit::kMillis, ns, failure);
    case Kind::kEpochUs:
      return ParseEpochNumber(s, EpochUnit::kMicros, ns, failure);
    case Kind::kEpochNs:
      return ParseEpochNumber(s, EpochUnit::kNanos, ns, failure);
    case Kind::kEpoch:
      if (!LooksNumeric(s, true)) return Fail(failure, Why::kNotEpoch);
      return ParseEpochNumber(s, UnitByMagnitude(s), ns, failure);
    case Kind::kExcel:
      return ParseExcel(s, zone, ns, failure);
    case Kind::kPattern: {
      Fields f;
      return ParsePattern(format, s, &f, failure) && Resolve(f, zone, ns, failure);
    }
  }
  return Fail(failure, Why::kNotAuto);
}

// ---- Messages (the cold path) ----

char Directive(uint8_t what) {
  static constexpr char kLetters[] = {'?', ' ', 'Y', 'y', 'm', 'b', 'd', 'H',
                                      'I', 'M', 'S', 'f', 'f', 'p', 'z'};
  return kLetters[what];
}

std::string DigitsExpected(uint8_t what) {
  switch (what) {
    case kYear4:
      return "4 digits";
    case kYear2:
      return "2 digits";
    case kFraction:
    case kOptionalFraction:
      return "1-9 digits";
    default:
      return "1 or 2 digits";
  }
}

std::string_view FormatLabel(const Format& format) {
  return format.kind == Kind::kPattern ? "pattern" : "format";
}

constexpr std::string_view kAutoForms =
    "auto reads ISO 8601 (2024-03-05 08:00:00), DD.MM.YYYY, MM/DD/YYYY and epoch numbers; "
    "give a pattern such as '%d/%m/%Y %H:%M' for others";

[[gnu::cold]] std::string Describe(const Format& format, std::string_view s, size_t lead,
                                   const Failure& failure) {
  const Fields& f = failure.fields;
  const size_t at = lead + failure.pos + 1;
  const Step* step = format.steps.empty() ? nullptr : &format.steps[failure.step];
  switch (failure.why) {
    case Why::kNone:
      break;
    case Why::kLiteral:
      return fmt::format(
          "expected '{}' at character {}",
          std::string_view(format.text).substr(step->literal_offset, step->literal_size), at);
    case Why::kDigits:
      if (format.kind != Kind::kPattern) return fmt::format("expected digits at character {}", at);
      return fmt::format("expected {} for %{} at character {}", DigitsExpected(step->what),
                         Directive(step->what), at);
    case Why::kMonthName:
      return fmt::format("expected a month name (Jan-Dec) for %b at character {}", at);
    case Why::kAmPm:
      return fmt::format("expected AM or PM for %p at character {}", at);
    case Why::kOffset:
      return fmt::format("expected a UTC offset (Z, ±HH:MM, ±HHMM or ±HH) at character {}", at);
    case Why::kLongFraction:
      return fmt::format("fraction longer than 9 digits (resolution is 1 ns) at character {}", at);
    case Why::kTrailing:
      return fmt::format("unexpected text at character {}, after the end of the pattern", at);
    case Why::kMonth:
      return fmt::format("month {:02} out of range (01-12)", f.month);
    case Why::kDay:
      return fmt::format("day {:02} out of range for {:04}-{:02} (01-{})", f.day, f.year, f.month,
                         DaysInMonth(f.year, f.month));
    case Why::kHour:
      return fmt::format("hour {:02} out of range (00-23)", f.hour);
    case Why::kHour12:
      return fmt::format("hour {:02} out of range for a 12-hour clock (01-12)", f.hour);
    case Why::kMinute:
      return fmt::format("minute {:02} out of range (00-59)", f.minute);
    case Why::kSecond:
      return fmt::format("second {:02} out of range (00-60)", f.second);
    case Why::kOffsetRange:
      return fmt::format("time zone offset {}{:02}:{:02} out of range (at most ±23:59)",
                         f.offset_sign < 0 ? '-' : '+', f.offset_hour, f.offset_minute);
    case Why::kRange:
      return "outside the representable range "
             "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z";
    case Why::kNotAuto:
      return fmt::format("not a timestamp auto recognises (stopped at character {}): {}", at,
                         kAutoForms);
    case Why::kNotRfc3339:
      return ParseRfc3339(s).status().message();
    case Why::kNotEpoch:
      return fmt::format("not a number of {} since the epoch",
                         format.kind == Kind::kEpoch     ? "s, ms, us or ns"
                         : format.kind == Kind::kEpochMs ? "ms"
                         : format.kind == Kind::kEpochUs ? "us"
                         : format.kind == Kind::kEpochNs ? "ns"
                                                         : "s");
    case Why::kNotExcel:
      return "not an Excel serial day number (digits, optionally with a fraction)";
    case Why::kExcel60:
      return "Excel serial 60 is 1900-02-29, a day that did not exist (a leap-year bug Excel "
             "keeps for compatibility)";
    case Why::kExcelBelow1:
      return "Excel serial below 1: a time of day without a date";
    case Why::kExcelRange:
      return "Excel serial after 9999-12-31";
    case Why::kStatus:
      return failure.status.message();
  }
  return "no format matched";
}

[[gnu::cold, gnu::noinline]] Status ParseError(const std::vector<Format>& formats,
                                               std::string_view s, size_t lead, const Zone& zone,
                                               bool day_first, const Failure& last) {
  if (formats.size() == 1) {
    const Format& format = formats[0];
    const std::string message = Describe(format, s, lead, last);
    if (format.kind == Kind::kPattern) {
      return InvalidArgument("pattern '{}': {}", format.text, message);
    }
    return InvalidArgument("{}", message);
  }
  // Parse again to learn why each format failed; only the last failure was kept.
  std::string message = fmt::format("none of the {} formats matched:", formats.size());
  for (const Format& format : formats) {
    Failure failure;
    int64_t ns;
    ParseWith(format, s, zone, day_first, &ns, &failure);
    message += fmt::format(" {} '{}': {};", FormatLabel(format), format.text,
                           Describe(format, s, lead, failure));
  }
  message.pop_back();
  return InvalidArgument("{}", message);
}

// ---- Make ----

Result<Format> CompilePattern(std::string_view text) {
  if (text.size() > kMaxPatternSize) {
    return InvalidArgument("pattern longer than {} bytes", kMaxPatternSize);
  }
  Format format{Kind::kPattern, std::string(text), {}};
  std::vector<Step>& steps = format.steps;
  bool seen[128] = {};
  auto literal = [&](size_t offset) {
    if (!steps.empty() && steps.back().what == kLiteral &&
        steps.back().literal_offset + steps.back().literal_size == offset) {
      ++steps.back().literal_size;
    } else {
      steps.push_back({kLiteral, 0, 1, static_cast<uint32_t>(offset)});
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      if (steps.empty() || steps.back().what != kSpaces) {
        steps.push_back({kSpaces, 0, 1, static_cast<uint32_t>(i)});
      }
      continue;
    }
    if (c != '%') {
      literal(i);
      continue;
    }
    if (++i == text.size()) return InvalidArgument("pattern '{}' ends with '%'", text);
    const char d = text[i];
    if (d == '%') {
      literal(i);
      continue;
    }
    What what;
    switch (d) {
      // clang-format off
      case 'Y': what = kYear4; break;
      case 'y': what = kYear2; break;
      case 'm': what = kMonth; break;
      case 'b': case 'B': what = kMonthName; break;
      case 'd': what = kDay; break;
      case 'H': what = kHour; break;
      case 'I': what = kHour12; break;
      case 'M': what = kMinute; break;
      case 'S': what = kSecond; break;
      case 'f': what = kFraction; break;
      case 'p': what = kAmPm; break;
      case 'z': what = kOffset; break;
      // clang-format on
      default:
        return InvalidArgument(
            "pattern '{}': unknown directive %{} at character {} (known: %Y %y %m %b %d %H %I "
            "%M %S %f %p %z %%)",
            text, d, i);
    }
    const auto letter = static_cast<unsigned char>(d == 'B' ? 'b' : d);
    if (seen[letter]) return InvalidArgument("pattern '{}': %{} appears twice", text, d);
    seen[letter] = true;
    char separator = 0;
    if (what == kFraction && !steps.empty() && steps.back().what == kLiteral) {
      Step& previous = steps.back();
      separator = text[previous.literal_offset + previous.literal_size - 1];
      if (separator == '.' || separator == ',') {
        what = kOptionalFraction;
        if (--previous.literal_size == 0) steps.pop_back();
      } else {
        separator = 0;
      }
    }
    steps.push_back({what, separator, 0, 0});
  }
  auto has = [&](char d) { return seen[static_cast<unsigned char>(d)]; };
  if (!has('Y') && !has('y')) return InvalidArgument("pattern '{}' has no year (%Y or %y)", text);
  if (has('Y') && has('y')) return InvalidArgument("pattern '{}' has both %Y and %y", text);
  if (!has('m') && !has('b')) return InvalidArgument("pattern '{}' has no month (%m or %b)", text);
  if (has('m') && has('b')) return InvalidArgument("pattern '{}' has both %m and %b", text);
  if (!has('d')) return InvalidArgument("pattern '{}' has no day (%d)", text);
  if (has('H') && has('I')) return InvalidArgument("pattern '{}' has both %H and %I", text);
  if (has('I') != has('p')) {
    return InvalidArgument("pattern '{}': %I (12-hour clock) and %p (AM/PM) go together", text);
  }
  return format;
}

Result<Format> CompileFormat(std::string_view text) {
  static constexpr std::pair<std::string_view, Kind> kNamed[] = {
      {"auto", Kind::kAuto},        {"rfc3339", Kind::kRfc3339},  {"epoch_s", Kind::kEpochS},
      {"epoch_ms", Kind::kEpochMs}, {"epoch_us", Kind::kEpochUs}, {"epoch_ns", Kind::kEpochNs},
      {"epoch", Kind::kEpoch},      {"excel", Kind::kExcel},
  };
  for (const auto& [name, kind] : kNamed) {
    if (text == name) return Format{kind, std::string(text), {}};
  }
  if (text.find('%') != std::string_view::npos) return CompilePattern(text);
  return InvalidArgument(
      "unknown timestamp format '{}' (expected auto, rfc3339, epoch, epoch_s, epoch_ms, "
      "epoch_us, epoch_ns, excel or a pattern such as '%Y-%m-%d %H:%M:%S')",
      text);
}

Result<Zone> LoadZone(std::string_view name) {
  Zone zone;
  if (name.empty() || name == "UTC" || name == "Z") return zone;
  if (name[0] == '+' || name[0] == '-') {
    size_t i = 0;
    Fields f;
    if (!ReadOffset(name, &i, &f) || i != name.size() || f.offset_hour > 23 ||
        f.offset_minute > 59) {
      return InvalidArgument("bad time zone offset '{}' (expected ±HH:MM)", name);
    }
    zone.fixed_offset_seconds =
        f.offset_sign * static_cast<int64_t>(f.offset_hour * 3600 + f.offset_minute * 60);
    return zone;
  }
  if (!cctz::load_time_zone(std::string(name), &zone.zone)) {
    return InvalidArgument(
        "unknown time zone '{}' (expected an IANA name such as Asia/Shanghai, UTC, or an "
        "offset such as +08:00)",
        name);
  }
  zone.fixed = false;
  return zone;
}

}  // namespace

Result<TimestampParser> TimestampParser::Make(const TimestampSpec& spec) {
  TimestampParser parser;
  FH_ASSIGN_OR_RETURN(parser.zone_, LoadZone(spec.time_zone));
  parser.day_first_ = spec.day_first;
  FH_ASSIGN_OR_RETURN(Format first, CompileFormat(spec.format));
  parser.formats_.push_back(std::move(first));
  for (const std::string& alternative : spec.alternatives) {
    FH_ASSIGN_OR_RETURN(Format format, CompileFormat(alternative));
    parser.formats_.push_back(std::move(format));
  }
  return parser;
}

Result<int64_t> TimestampParser::Parse(std::string_view text) const {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t lead = 0;
  while (lead < text.size() && space(text[lead]))
    ++lead;
  std::string_view s = text.substr(lead);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  if (s.empty()) return InvalidArgument("empty timestamp");
  Failure failure;
  for (const Format& format : formats_) {
    int64_t ns;
    if (ParseWith(format, s, zone_, day_first_, &ns, &failure)) return ns;
  }
  return ParseError(formats_, s, lead, zone_, day_first_, failure);
}

}  // namespace fh::govern
