#include "common/time.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <limits>

#include "common/ascii.h"
#include "common/enum_names.h"

namespace fh {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr uint32_t kPow10[10] = {1,      10,      100,      1000,      10000,
                                 100000, 1000000, 10000000, 100000000, 1000000000};

inline unsigned Digit(char c) {
  return static_cast<unsigned>(c - '0');
}
inline unsigned Two(const char* p) {
  return Digit(p[0]) * 10 + Digit(p[1]);
}
inline bool TwoDigits(const char* p) {
  return IsAsciiDigit(p[0]) && IsAsciiDigit(p[1]);
}

// What ParseRfc3339 found wrong; the message is made only on the (cold) error path.
enum class Rfc3339Error {
  kOk,
  kShape,
  kNoTime,
  kSeparator,
  kEmptyFraction,
  kLongFraction,
  kNoOffset,
  kOffset,
  kTrailing,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kOffsetRange,
  kRange,
};

struct Rfc3339Fields {
  int64_t year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  uint32_t nanos = 0;
  int offset_sign = 1;
  unsigned offset_hour = 0, offset_minute = 0;
};

constexpr std::string_view kRfc3339Form = "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)";

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;  // p[0] in the low byte
}

// Whether all 8 bytes of v are ASCII digits (the test fast_float uses).
inline bool AllDigits(uint64_t v) {
  return ((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) ==
         0x3333333333333333;
}

// The number that 8 ASCII digits spell (fast_float's parse_eight_digits_unrolled).
inline uint32_t EightDigits(uint64_t v) {
  constexpr uint64_t kMask = 0x000000FF000000FF;
  constexpr uint64_t kMul1 = 0x000F424000000064;  // 100 + (1000000 << 32)
  constexpr uint64_t kMul2 = 0x0000271000000001;  // 1 + (10000 << 32)
  v -= 0x3030303030303030;
  v = v * 10 + (v >> 8);
  return static_cast<uint32_t>((((v & kMask) * kMul1) + (((v >> 16) & kMask) * kMul2)) >> 32);
}

// "YYYY-MM-DDTHH:MM:SS" (text has at least 19 bytes), eight bytes at a time. False if any
// byte is off; the careful path below then says which.
inline bool ParseDateTimeFast(const char* p, Rfc3339Fields* f) {
  constexpr uint64_t kZeros = 0x3030303030303030;
  constexpr uint64_t kDateSeparators = 0xFF0000FF00000000;  // "YYYY-MM-": bytes 4 and 7
  constexpr uint64_t kDashes = 0x2D00002D00000000;
  constexpr uint64_t kTimeSeparators = 0x0000FF0000FF0000;  // "HH:MM:SS": bytes 2 and 5
  constexpr uint64_t kColons = 0x00003A00003A0000;
  uint64_t date = Load8(p);
  uint64_t time = Load8(p + 11);
  if ((date & kDateSeparators) != kDashes || (time & kTimeSeparators) != kColons) return false;
  date = (date & ~kDateSeparators) | (kZeros & kDateSeparators);
  time = (time & ~kTimeSeparators) | (kZeros & kTimeSeparators);
  if (!AllDigits(date) || !AllDigits(time) || !IsAsciiDigit(p[8]) || !IsAsciiDigit(p[9]) ||
      (p[10] != 'T' && p[10] != 't' && p[10] != ' ')) {
    return false;
  }
  // Byte k of pairs is 10 * digit k + digit k+1: the two-digit number starting at k.
  date -= kZeros;
  time -= kZeros;
  const uint64_t date_pairs = date * 10 + (date >> 8);
  const uint64_t time_pairs = time * 10 + (time >> 8);
  f->year = (date_pairs & 0xFF) * 100 + ((date_pairs >> 16) & 0xFF);
  f->month = (date_pairs >> 40) & 0xFF;
  f->day = Two(p + 8);
  f->hour = time_pairs & 0xFF;
  f->minute = (time_pairs >> 24) & 0xFF;
  f->second = (time_pairs >> 48) & 0xFF;
  return true;
}

Rfc3339Error ParseRfc3339Fields(std::string_view text, Rfc3339Fields* f) {
  const char* p = text.data();
  const size_t n = text.size();
  if (n < 19 || !ParseDateTimeFast(p, f)) [[unlikely]] {
    if (n < 10 || !(TwoDigits(p) && TwoDigits(p + 2) && p[4] == '-' && TwoDigits(p + 5) &&
                    p[7] == '-' && TwoDigits(p + 8))) {
      return Rfc3339Error::kShape;
    }
    if (n == 10) return Rfc3339Error::kNoTime;
    if (p[10] != 'T' && p[10] != 't' && p[10] != ' ') return Rfc3339Error::kSeparator;
    return Rfc3339Error::kShape;
  }
  size_t i = 19;
  if (i < n && p[i] == '.') {
    const size_t start = ++i;
    uint32_t nanos = 0;  // wraps past 9 digits, which are rejected
    if (n - i >= 8 && AllDigits(Load8(p + i))) {
      nanos = EightDigits(Load8(p + i));
      i += 8;
    }
    for (; i < n && IsAsciiDigit(p[i]); ++i) {
      nanos = nanos * 10 + Digit(p[i]);
    }
    const size_t digits = i - start;
    if (digits == 0) return Rfc3339Error::kEmptyFraction;
    if (digits > 9) return Rfc3339Error::kLongFraction;
    f->nanos = nanos * kPow10[9 - digits];
  }
  if (i == n) return Rfc3339Error::kNoOffset;
  if (p[i] == 'Z' || p[i] == 'z') {
    ++i;
  } else if (p[i] == '+' || p[i] == '-') {
    if (n - i < 6 || !TwoDigits(p + i + 1) || p[i + 3] != ':' || !TwoDigits(p + i + 4)) {
      return Rfc3339Error::kOffset;
    }
    f->offset_sign = p[i] == '-' ? -1 : 1;
    f->offset_hour = Two(p + i + 1);
    f->offset_minute = Two(p + i + 4);
    i += 6;
  } else {
    return Rfc3339Error::kOffset;
  }
  if (i != n) return Rfc3339Error::kTrailing;
  if (f->month < 1 || f->month > 12) return Rfc3339Error::kMonth;
  if (f->day < 1 || f->day > DaysInMonth(f->year, f->month)) return Rfc3339Error::kDay;
  if (f->hour > 23) return Rfc3339Error::kHour;
  if (f->minute > 59) return Rfc3339Error::kMinute;
  if (f->second > 60) return Rfc3339Error::kSecond;
  if (f->offset_hour > 23 || f->offset_minute > 59) return Rfc3339Error::kOffsetRange;
  return Rfc3339Error::kOk;
}

[[gnu::cold, gnu::noinline]] Status Rfc3339Status(Rfc3339Error error, const Rfc3339Fields& f) {
  switch (error) {
    case Rfc3339Error::kOk:
      break;
    case Rfc3339Error::kShape:
      return InvalidArgument("not an RFC 3339 timestamp (expected {})", kRfc3339Form);
    case Rfc3339Error::kNoTime:
      return InvalidArgument("date without a time (expected {})", kRfc3339Form);
    case Rfc3339Error::kSeparator:
      return InvalidArgument("expected 'T' between date and time (expected {})", kRfc3339Form);
    case Rfc3339Error::kEmptyFraction:
      return InvalidArgument("no digits after '.' (expected {})", kRfc3339Form);
    case Rfc3339Error::kLongFraction:
      return InvalidArgument("fraction has more than 9 digits (resolution is 1 ns)");
    case Rfc3339Error::kNoOffset:
      return InvalidArgument("missing time zone offset (Z or ±HH:MM)");
    case Rfc3339Error::kOffset:
      return InvalidArgument("bad time zone offset (expected Z or ±HH:MM)");
    case Rfc3339Error::kTrailing:
      return InvalidArgument("unexpected text after the time zone offset");
    case Rfc3339Error::kMonth:
      return InvalidArgument("month {:02} out of range (01-12)", f.month);
    case Rfc3339Error::kDay:
      return InvalidArgument("day {:02} out of range for {:04}-{:02} (01-{})", f.day, f.year,
                             f.month, DaysInMonth(f.year, f.month));
    case Rfc3339Error::kHour:
      return InvalidArgument("hour {:02} out of range (00-23)", f.hour);
    case Rfc3339Error::kMinute:
      return InvalidArgument("minute {:02} out of range (00-59)", f.minute);
    case Rfc3339Error::kSecond:
      return InvalidArgument("second {:02} out of range (00-60)", f.second);
    case Rfc3339Error::kOffsetRange:
      return InvalidArgument("time zone offset {}{:02}:{:02} out of range (at most ±23:59)",
                             f.offset_sign < 0 ? '-' : '+', f.offset_hour, f.offset_minute);
    case Rfc3339Error::kRange:
      return InvalidArgument(
          "outside the representable range "
          "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z");
  }
  return Internal("RFC 3339 parser reported no error");
}

[[gnu::cold, gnu::noinline]] Status OutOfRange() {
  return InvalidArgument("out of range (int64 nanoseconds: years 1677-2262)");
}

inline void Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  Rfc3339Fields f;
  Rfc3339Error error = ParseRfc3339Fields(text, &f);
  if (error != Rfc3339Error::kOk) [[unlikely]] {
    return Rfc3339Status(error, f);
  }
  uint32_t nanos = f.nanos;
  unsigned second = f.second;
  if (second == 60) {  // leap second: the last nanosecond of second 59
    second = 59;
    nanos = static_cast<uint32_t>(kNanosPerSecond - 1);
  }
  const int64_t offset_seconds =
      f.offset_sign * static_cast<int64_t>(f.offset_hour * 3600 + f.offset_minute * 60);
  int64_t seconds = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay +
                    (f.hour * 3600 + f.minute * 60 + second) - offset_seconds;
  auto signed_nanos = static_cast<int64_t>(nanos);
  if (seconds < 0 && signed_nanos > 0) {  // so that the earliest instant does not overflow
    ++seconds;
    signed_nanos -= kNanosPerSecond;
  }
  int64_t ns;
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, &ns) ||
      __builtin_add_overflow(ns, signed_nanos, &ns)) [[unlikely]] {
    return Rfc3339Status(Rfc3339Error::kRange, f);
  }
  return ns;
}

void AppendRfc3339(int64_t ns, std::string* out) {
  int64_t seconds = ns / kNanosPerSecond;
  int64_t nanos = ns % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --seconds;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);  // years 1677-2262: always four digits
  const auto sod = static_cast<unsigned>(second_of_day);
  char buf[32];
  const auto year = static_cast<unsigned>(date.year);
  Put2(buf, year / 100);
  Put2(buf + 2, year % 100);
  buf[4] = '-';
  Put2(buf + 5, date.month);
  buf[7] = '-';
  Put2(buf + 8, date.day);
  buf[10] = 'T';
  Put2(buf + 11, sod / 3600);
  buf[13] = ':';
  Put2(buf + 14, sod / 60 % 60);
  buf[16] = ':';
  Put2(buf + 17, sod % 60);
  size_t len = 19;
  if (nanos != 0) {
    int digits = 9;
    auto frac = static_cast<uint32_t>(nanos);
    if (frac % 1000000 == 0) {
      digits = 3;
      frac /= 1000000;
    } else if (frac % 1000 == 0) {
      digits = 6;
      frac /= 1000;
    }
    buf[len++] = '.';
    for (int i = digits - 1; i >= 0; --i) {
      buf[len + i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    len += digits;
  }
  buf[len++] = 'Z';
  out->append(buf, len);
}

std::string FormatRfc3339(int64_t ns) {
  std::string out;
  AppendRfc3339(ns, &out);
  return out;
}

namespace {

constexpr EnumNames<TimeUnit, 6> kTimeUnitNames = {{
    {TimeUnit::kNanos, "ns"},
    {TimeUnit::kMicros, "us"},
    {TimeUnit::kMillis, "ms"},
    {TimeUnit::kSeconds, "s"},
    {TimeUnit::kMinutes, "m"},
    {TimeUnit::kHours, "h"},
}};

// The fractional digits a number of `unit` may have: down to 1 ns, decimal units only.
constexpr size_t MaxFractionDigits(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSeconds:
      return 9;
    case TimeUnit::kMillis:
      return 6;
    case TimeUnit::kMicros:
      return 3;
    default:
      return 0;
  }
}

}  // namespace

std::string_view TimeUnitName(TimeUnit unit) {
  return EnumToString(kTimeUnitNames, unit);
}

Result<TimeUnit> ParseEpochUnit(std::string_view text) {
  if (text == "s") return TimeUnit::kSeconds;
  if (text == "ms") return TimeUnit::kMillis;
  if (text == "us") return TimeUnit::kMicros;
  if (text == "ns") return TimeUnit::kNanos;
  return InvalidArgument("unknown epoch unit '{}' (expected s, ms, us or ns)", text);
}

Result<int64_t> ParseEpoch(std::string_view text, TimeUnit unit) {
  const size_t max_fraction = MaxFractionDigits(unit);
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  if (p == end || !IsAsciiDigit(*p)) [[unlikely]] {
    return InvalidArgument("not a number of {} since the epoch", TimeUnitName(unit));
  }
  uint64_t whole = 0;
  for (; p != end && IsAsciiDigit(*p); ++p) {
    if (__builtin_mul_overflow(whole, 10u, &whole) ||
        __builtin_add_overflow(whole, Digit(*p), &whole)) [[unlikely]] {
      return OutOfRange();
    }
  }
  uint64_t frac_ns = 0;
  if (p != end && *p == '.') {
    const char* start = ++p;
    uint64_t frac = 0;
    for (; p != end && IsAsciiDigit(*p); ++p)
      frac = frac * 10 + Digit(*p);
    const auto digits = static_cast<size_t>(p - start);
    if (digits == 0 || p != end) [[unlikely]] {
      return InvalidArgument("not a number of {} since the epoch", TimeUnitName(unit));
    }
    if (digits > max_fraction) [[unlikely]] {
      return InvalidArgument("more than {} fractional digits for unit '{}' (resolution is 1 ns)",
                             max_fraction, TimeUnitName(unit));
    }
    frac_ns = frac * kPow10[max_fraction - digits];
  }
  if (p != end) [[unlikely]] {
    return InvalidArgument("not a number of {} since the epoch", TimeUnitName(unit));
  }
  uint64_t magnitude;
  if (__builtin_mul_overflow(whole, static_cast<uint64_t>(NanosPer(unit)), &magnitude) ||
      __builtin_add_overflow(magnitude, frac_ns, &magnitude)) [[unlikely]] {
    return OutOfRange();
  }
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (magnitude > kMax + (negative ? 1 : 0)) [[unlikely]] {
    return OutOfRange();
  }
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace fh
