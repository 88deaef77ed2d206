// The "auto" format: ISO 8601 / RFC 3339, day-first and month-first dates, compact dates and
// epoch numbers whose unit follows from their digit count (see timestamp_format.h), plus the
// shape checks that the rfc3339, epoch and excel formats share with it.
#include "govern/timestamp_internal.h"

namespace fh::govern::timestamp_internal {
namespace {

// YYYYMMDD or YYYYMMDDHHMMSS with a year in 1900-2099, left to Resolve to range-check.
bool ReadCompact(std::string_view s, Fields* f) {
  if ((s.size() != 8 && s.size() != 14) || !IsAsciiDigit(s[0])) return false;
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

}  // namespace

bool LooksNumeric(std::string_view s, bool allow_sign) {
  size_t i = 0;
  if (allow_sign && i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t start = i;
  while (i < s.size() && IsAsciiDigit(s[i]))
    ++i;
  if (i == start) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsAsciiDigit(s[i]))
      ++i;
  }
  return i == s.size();
}

bool LooksRfc3339(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  const size_t n = s.size();
  if (n < 20) return false;
  for (size_t k = 0; k < kShape.size(); ++k) {
    const char want = kShape[k];
    const char c = s[k];
    const bool ok = want == 'd'   ? IsAsciiDigit(c)
                    : want == 'T' ? c == 'T' || c == 't' || c == ' '
                                  : c == want;
    if (!ok) return false;
  }
  size_t i = kShape.size();
  if (s[i] == '.') {
    ++i;
    while (i < n && IsAsciiDigit(s[i]))
      ++i;
  }
  if (i < n && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == n;
  return n - i == 6 && (s[i] == '+' || s[i] == '-') && IsAsciiDigit(s[i + 1]) &&
         IsAsciiDigit(s[i + 2]) && s[i + 3] == ':' && IsAsciiDigit(s[i + 4]) &&
         IsAsciiDigit(s[i + 5]);
}

TimeUnit UnitByMagnitude(std::string_view s) {
  size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
  while (i < s.size() && s[i] == '0')
    ++i;
  size_t digits = 0;
  while (i + digits < s.size() && IsAsciiDigit(s[i + digits]))
    ++digits;
  if (digits <= 10) return TimeUnit::kSeconds;
  if (digits <= 13) return TimeUnit::kMillis;
  if (digits <= 16) return TimeUnit::kMicros;
  return TimeUnit::kNanos;
}

bool ParseEpochNumber(std::string_view s, TimeUnit unit, int64_t* ns, Failure* failure) {
  if (!LooksNumeric(s, true)) return Fail(failure, Why::kNotEpoch);
  Result<int64_t> r = ParseEpoch(s, unit);
  if (!r.ok()) {
    failure->status = r.status();
    return Fail(failure, Why::kStatus);
  }
  *ns = *r;
  return true;
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
        !ReadNumber(s, &i, 4, 4, &year) || (i < s.size() && IsAsciiDigit(s[i]))) {
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

}  // namespace fh::govern::timestamp_internal
