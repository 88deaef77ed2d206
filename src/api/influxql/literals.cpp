#include "api/influxql/literals.h"

#include <re2/re2.h>

#include <fmt/format.h>

#include "common/time.h"

namespace fh::api::influxql {

bool SafeAdd(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

// "10s", "1h30m", "1600000000000ms" → ns; InfluxQL's units: ns, u, µ, ms, s, m, h, d, w.
Result<int64_t> DurationLiteral(std::string_view text) {
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t digits = i;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, text[i] - '0', &n))
        return InvalidArgument("duration '{}' is out of range", text);
      ++i;
    }
    if (i == digits) return InvalidArgument("invalid duration '{}'", text);
    const size_t unit_start = i;
    while (i < text.size() && !(text[i] >= '0' && text[i] <= '9'))
      ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t per = 0;
    if (unit == "ns") {
      per = 1;
    } else if (unit == "u" || unit == "\xC2\xB5" || unit == "us") {
      per = kNanosPerMicro;
    } else if (unit == "ms") {
      per = kNanosPerMilli;
    } else if (unit == "s") {
      per = kNanosPerSecond;
    } else if (unit == "m") {
      per = kNanosPerMinute;
    } else if (unit == "h") {
      per = kNanosPerHour;
    } else if (unit == "d") {
      per = 24 * kNanosPerHour;
    } else if (unit == "w") {
      per = 7 * 24 * kNanosPerHour;
    } else {
      return InvalidArgument("invalid duration '{}': unit '{}' is none of ns, u, ms, s, m, h, d, w",
                             text, unit);
    }
    int64_t part = 0;
    if (__builtin_mul_overflow(n, per, &part) || !SafeAdd(total, part, &total))
      return InvalidArgument("duration '{}' is out of range", text);
  }
  return total;
}

// '2020-01-01T00:00:00Z', '2020-01-01 00:00:00', '2020-01-01'.
Result<int64_t> TimeLiteral(std::string_view text) {
  if (Result<int64_t> t = ParseRfc3339(text); t.ok()) return t;
  std::string s(text);
  if (s.size() == 10) s += "T00:00:00";
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  s += 'Z';
  if (Result<int64_t> t = ParseRfc3339(s); t.ok()) return t;
  return InvalidArgument("unable to parse time '{}': expected RFC 3339 or 'YYYY-MM-DD HH:MM:SS'",
                         text);
}

Result<std::shared_ptr<const re2::RE2>> CompileRegex(const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (!re->ok())
    return InvalidArgument("invalid regular expression /{}/: {}", pattern, re->error());
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

}  // namespace fh::api::influxql
