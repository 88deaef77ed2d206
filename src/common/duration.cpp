// Durations ("1h30m") and CLI time points ("now-15m"); declared in common/time.h.
#include <limits>

#include "common/ascii.h"
#include "common/time.h"

namespace fh {
namespace {

struct DurationUnit {
  std::string_view name;
  int64_t ns;
};
// Longest first for FormatDuration; "µs" is accepted on input only.
constexpr DurationUnit kUnits[] = {
    {"w", kNanosPerWeek},   {"d", kNanosPerDay},           {"h", kNanosPerHour},
    {"m", kNanosPerMinute}, {"s", kNanosPerSecond},        {"ms", kNanosPerMilli},
    {"us", kNanosPerMicro}, {"\xC2\xB5s", kNanosPerMicro}, {"ns", 1},
};
constexpr std::string_view kUnitList = "ns, us, ms, s, m, h, d or w";

// A GCC/Clang extension: a fraction times a unit needs up to 110 bits.
__extension__ using Int128 = __int128;

[[gnu::cold]] Status DurationOutOfRange() {
  return InvalidArgument("duration out of range (at most about 292 years)");
}

// "2026-03-01": a date alone, read as its midnight UTC.
bool IsDateOnly(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-';
}

bool IsEpochNumber(std::string_view s) {
  size_t i = s.empty() || (s[0] != '-' && s[0] != '+') ? 0 : 1;
  if (i == s.size() || !IsAsciiDigit(s[i])) return false;
  for (; i < s.size(); ++i) {
    if (!IsAsciiDigit(s[i]) && s[i] != '.') return false;
  }
  return true;
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return InvalidArgument("empty duration (e.g. 500ms, 10s, 1h30m)");
  if (text[0] == '-') {
    return InvalidArgument("negative duration (a duration is positive; e.g. now-15m for a time)");
  }
  const char* p = text.data();
  const char* end = p + text.size();
  int64_t total = 0;
  while (p != end) {
    const char* number = p;
    uint64_t whole = 0;
    for (; p != end && IsAsciiDigit(*p); ++p) {
      if (__builtin_mul_overflow(whole, 10u, &whole) ||
          __builtin_add_overflow(whole, static_cast<unsigned>(*p - '0'), &whole)) {
        return DurationOutOfRange();
      }
    }
    bool has_digits = p != number;
    // A fraction keeps up to 18 digits; later ones are below 1 ns for every unit.
    uint64_t frac = 0;
    uint64_t frac_scale = 1;
    if (p != end && *p == '.') {
      for (++p; p != end && IsAsciiDigit(*p); ++p) {
        if (frac_scale < 1000000000000000000ull) {
          frac = frac * 10 + static_cast<unsigned>(*p - '0');
          frac_scale *= 10;
        }
        has_digits = true;
      }
    }
    if (!has_digits) {
      return InvalidArgument("expected a number at '{}' (e.g. 500ms, 10s, 1h30m)",
                             std::string_view(number, end - number));
    }
    const char* unit_start = p;
    while (p != end && !IsAsciiDigit(*p) && *p != '.')
      ++p;
    const std::string_view unit_name(unit_start, p - unit_start);
    if (unit_name.empty()) {
      return InvalidArgument("missing unit after '{}' (use {})",
                             std::string_view(number, p - number), kUnitList);
    }
    const DurationUnit* unit = nullptr;
    for (const DurationUnit& u : kUnits) {
      if (u.name == unit_name) unit = &u;
    }
    if (unit == nullptr) {
      return InvalidArgument("unknown unit '{}' (use {})", unit_name, kUnitList);
    }
    int64_t part;
    if (whole > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        __builtin_mul_overflow(static_cast<int64_t>(whole), unit->ns, &part) ||
        __builtin_add_overflow(
            part, static_cast<int64_t>(static_cast<Int128>(frac) * unit->ns / frac_scale), &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return DurationOutOfRange();
    }
  }
  if (total == 0) return InvalidArgument("duration must be greater than zero");
  return total;
}

std::string FormatDuration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  // The magnitude of INT64_MIN does not fit int64: work in uint64.
  uint64_t rest = static_cast<uint64_t>(ns);
  if (ns < 0) {
    out.push_back('-');
    rest = 0 - rest;
  }
  for (const DurationUnit& u : kUnits) {
    if (u.name == "\xC2\xB5s") continue;
    const auto unit = static_cast<uint64_t>(u.ns);
    // Below a second, use one unit only: "1s500ms", never "1s500ms1ns" → "1s500000001ns".
    if (unit < static_cast<uint64_t>(kNanosPerSecond) && rest % unit != 0) continue;
    if (rest >= unit) {
      out += std::to_string(rest / unit);
      out += u.name;
      rest %= unit;
    }
  }
  return out;
}

Result<int64_t> ParseTimePoint(std::string_view text, int64_t now_ns) {
  if (text.starts_with("now")) {
    std::string_view rest = text.substr(3);
    if (rest.empty()) return now_ns;
    if (rest[0] != '+' && rest[0] != '-') {
      return InvalidArgument("expected now, now-DURATION or now+DURATION (e.g. now-15m)");
    }
    Result<int64_t> duration = ParseDuration(rest.substr(1));
    if (!duration.ok()) return duration.status().WithContext("after 'now'");
    int64_t result;
    if (rest[0] == '+' ? __builtin_add_overflow(now_ns, *duration, &result)
                       : __builtin_sub_overflow(now_ns, *duration, &result)) {
      return InvalidArgument("time point out of range");
    }
    return result;
  }
  if (IsDateOnly(text)) {
    char buf[20];
    text.copy(buf, 10);
    std::string_view midnight = "T00:00:00Z";
    midnight.copy(buf + 10, midnight.size());
    return ParseRfc3339(std::string_view(buf, sizeof buf));
  }
  if (IsEpochNumber(text)) return ParseEpoch(text, TimeUnit::kSeconds);
  if (text.empty() || !IsAsciiDigit(text[0])) {
    return InvalidArgument(
        "not a time point (expected RFC 3339 like 2026-03-01T08:00:00Z, a date, now, "
        "now-15m or epoch seconds)");
  }
  return ParseRfc3339(text);
}

}  // namespace fh
