// Internals of TimestampParser shared by its source files, not part of govern's interface:
// the parsed fields, the allocation-free failure record, and the small readers that the
// pattern matcher, the "auto" reader and zone handling all use. The readers are inline
// here so that splitting the parser across files keeps them inlined on the per-cell path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/ascii.h"
#include "common/status.h"
#include "common/time.h"
#include "govern/timestamp_format.h"

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
  kExcel1904,
  kPattern,
};

// A namespace of its own so that these short, common names cannot collide with other
// govern files' helpers at link time.
namespace timestamp_internal {

using Kind = TimestampParser::Kind;
using Step = TimestampParser::Step;
using Format = TimestampParser::Format;
using Zone = TimestampParser::Zone;

inline constexpr int64_t kSecondsPerDay = 86400;

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
  kAmbiguous,    // a repeated local time the policy does not resolve
  kNonexistent,  // a skipped local time
};

struct Failure {
  Why why = Why::kNone;
  size_t pos = 0;   // in the trimmed text
  size_t step = 0;  // of the pattern
  Fields fields;    // for range messages
  Status status;    // for kStatus: a message from common/time.h (rare: range errors)
};

// Between min and max digits at *pos.
inline bool ReadNumber(std::string_view s, size_t* pos, int min_digits, int max_digits,
                       unsigned* value) {
  size_t i = *pos;
  unsigned v = 0;
  while (i < s.size() && IsAsciiDigit(s[i]) && static_cast<int>(i - *pos) < max_digits) {
    v = v * 10 + static_cast<unsigned>(s[i++] - '0');
  }
  if (static_cast<int>(i - *pos) < min_digits) return false;
  *pos = i;
  *value = v;
  return true;
}

// 1-9 digits of a fraction of a second at *pos → nanoseconds.
inline Why ReadFraction(std::string_view s, size_t* pos, uint32_t* nanos) {
  size_t i = *pos;
  uint32_t v = 0;
  while (i < s.size() && IsAsciiDigit(s[i]) && i - *pos < 9) {
    v = v * 10 + static_cast<uint32_t>(s[i++] - '0');
  }
  const size_t digits = i - *pos;
  if (digits == 0) return Why::kDigits;
  if (i < s.size() && IsAsciiDigit(s[i])) {
    *pos = i;
    return Why::kLongFraction;
  }
  for (size_t k = digits; k < 9; ++k)
    v *= 10;
  *nanos = v;
  *pos = i;
  return Why::kNone;
}

inline bool MatchIgnoringCase(std::string_view s, size_t pos, std::string_view word) {
  if (s.size() - pos < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (AsciiLower(s[pos + k]) != word[k]) return false;
  }
  return true;
}

// AM/PM in any case, or the Chinese 上午/下午 of Windows' zh-CN locale.
inline bool ReadAmPm(std::string_view s, size_t* pos, int* pm) {
  if (MatchIgnoringCase(s, *pos, "am") || MatchIgnoringCase(s, *pos, "pm")) {
    *pm = AsciiLower(s[*pos]) == 'p';
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
inline bool ReadOffset(std::string_view s, size_t* pos, Fields* f) {
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
  } else if (i < s.size() && IsAsciiDigit(s[i])) {
    if (!ReadNumber(s, &i, 2, 2, &f->offset_minute)) return false;
  }
  f->has_offset = true;
  *pos = i;
  return true;
}

inline bool Fail(Failure* failure, Why why, size_t pos = 0) {
  failure->why = why;
  failure->pos = pos;
  return false;
}

// ---- timestamp_pattern.cpp: strftime-like patterns ----

Result<Format> CompilePattern(std::string_view text);
bool ParsePattern(const Format& format, std::string_view s, Fields* f, Failure* failure);
// For error messages: a step's directive letter and the digits it wants.
char Directive(uint8_t what);
std::string DigitsExpected(uint8_t what);

// ---- timestamp_auto.cpp: "auto", and the number shapes other formats share ----

// [+-]digits[.digits]: what ParseEpoch and "excel" read.
bool LooksNumeric(std::string_view s, bool allow_sign);
// The shape ParseRfc3339 reads, YYYY-MM-DDTHH:MM:SS[.F](Z|±HH:MM), so that calling it
// fails (and allocates its error) only for values out of range.
bool LooksRfc3339(std::string_view s);
// The epoch unit of a number by its count of digits before the point (see timestamp_format.h).
TimeUnit UnitByMagnitude(std::string_view s);
bool ParseEpochNumber(std::string_view s, TimeUnit unit, int64_t* ns, Failure* failure);
bool ParseAuto(std::string_view s, bool day_first, const Zone& zone, int64_t* ns, Failure* failure);

// ---- timestamp_format.cpp: civil time → UTC ----

// Range checks, then local time → UTC through the offset or the zone.
bool Resolve(const Fields& f, const Zone& zone, int64_t* ns, Failure* failure);

}  // namespace timestamp_internal
}  // namespace fh::govern
