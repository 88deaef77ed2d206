#include "ingest/line_protocol.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/time.h"
#include "ingest/utf8_validate.h"

namespace fh::ingest {

bool ParseBooleanText(std::string_view v, double* out) {
  if (v == "t" || v == "T" || v == "true" || v == "True" || v == "TRUE") {
    *out = 1;
    return true;
  }
  if (v == "f" || v == "F" || v == "false" || v == "False" || v == "FALSE") {
    *out = 0;
    return true;
  }
  return false;
}

namespace {

constexpr size_t npos = std::string_view::npos;

// The first unescaped ',' or ' ' (or '=' too, with kAndEquals) at or after i, or the end.
// A backslash escapes the next character. Called for every token of every line: the stop
// characters are compared inline, not looked up in a set.
template <bool kAndEquals>
size_t TokenEnd(std::string_view s, size_t i) {
  const char* p = s.data();
  const size_t n = s.size();
  for (; i < n; ++i) {
    const char c = p[i];
    if (c == ',' || c == ' ' || (kAndEquals && c == '=')) return i;
    if (c == '\\' && i + 1 < n) ++i;
  }
  return n;
}

// Appends `raw` without the backslashes of escaped ',', '=', ' ' and '\' (any other
// backslash is literal, as InfluxDB reads it).
void AppendUnescaped(std::string_view raw, std::string& out) {
  if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    out.append(raw);
    return;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() &&
        (raw[i + 1] == ',' || raw[i + 1] == '=' || raw[i + 1] == ' ' || raw[i + 1] == '\\')) {
      ++i;
    }
    out += raw[i];
  }
}

// `raw` for an error message: unescaped, at most kMaxQuotedBytes of it (cut on a UTF-8
// character boundary), then "...(N bytes)" when cut.
std::string Quoted(std::string_view raw) {
  std::string out;
  if (raw.size() <= kMaxQuotedBytes) {
    AppendUnescaped(raw, out);
    return out;
  }
  size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80)
    --cut;
  AppendUnescaped(raw.substr(0, cut), out);
  out += fmt::format("...({} bytes)", raw.size());
  return out;
}

// A string field's value from after its opening quote: where its closing quote is (npos:
// none on the line). Inside, \" and \\ are escapes; any other backslash is literal.
size_t StringEnd(std::string_view s, size_t i) {
  for (; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
      ++i;
    } else if (s[i] == '"') {
      return i;
    }
  }
  return npos;
}

// Appends a string field's value without its escapes.
void AppendStringValue(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) ++i;
    out += raw[i];
  }
}

// The length of a string field's value without its escapes.
size_t StringValueSize(std::string_view raw) {
  size_t n = raw.size();
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
      --n;
      ++i;
    }
  }
  return n;
}

constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The decimals sensors send ("71.53", "-0.5", "1480"), exactly as std::from_chars reads
// them, without its generality: digits, an optional '.' and more digits, at most 15
// significant digits in all. Such a mantissa and any power of ten up to 10^22 are exact
// doubles, so one division is the correctly rounded value (Clinger's fast path). False for
// anything else (exponents, more digits), which from_chars then reads.
bool ParseShortDecimal(const char* p, const char* end, double* out) {
  const bool negative = p < end && *p == '-';
  p += negative || (p < end && *p == '+');
  uint64_t mantissa = 0;
  int digits = 0;
  const char* int_begin = p;
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits)
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
  if (p == int_begin) return false;
  int fraction = 0;
  if (p < end && *p == '.') {
    const char* frac_begin = ++p;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits)
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    fraction = static_cast<int>(p - frac_begin);
    if (fraction == 0) return false;
  }
  if (p != end || digits > 15) return false;
  const double value = static_cast<double>(mantissa) / kPowersOfTen[fraction];
  *out = negative ? -value : value;
  return true;
}

// A timestamp as std::from_chars reads an int64, which says what is wrong with anything
// else; up to 18 digits (which cannot overflow) are read inline, as every line has them.
std::from_chars_result ReadInteger(std::string_view text, int64_t* out) {
  if (!text.empty() && text.size() <= 18) {
    uint64_t value = 0;
    bool digits = true;
    for (const char c : text) {
      const auto d = static_cast<unsigned>(c - '0');
      digits &= d < 10;
      value = value * 10 + d;
    }
    if (digits) {
      *out = static_cast<int64_t>(value);
      return {text.data() + text.size(), std::errc()};
    }
  }
  return std::from_chars(text.data(), text.data() + text.size(), *out);
}

// A field value: a float, an integer (i), an unsigned integer (u) or a boolean.
bool ParseNumber(std::string_view v, double* out) {
  if (v.empty()) return false;
  const char* end = v.data() + v.size();
  if (ParseShortDecimal(v.data(), end, out)) return true;
  if (ParseBooleanText(v, out)) return true;
  if (v.back() == 'i' || v.back() == 'u') {
    std::string_view digits = v.substr(0, v.size() - 1);
    if (v.back() == 'u') {
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec != std::errc() || p != digits.data() + digits.size()) return false;
      *out = static_cast<double>(n);
      return true;
    }
    int64_t n = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || p != digits.data() + digits.size()) return false;
    *out = static_cast<double>(n);
    return true;
  }
  // from_chars takes no leading '+'; line protocol floats may have one (not "+-1").
  const char* begin = v.data() + (v.front() == '+' ? 1 : 0);
  if (begin < end && begin != v.data() && *begin == '-') return false;
  auto [p, ec] = std::from_chars(begin, end, *out);
  // Only finite numbers: InfluxDB refuses NaN and infinities too.
  return ec == std::errc() && p == end && std::isfinite(*out);
}

}  // namespace

Result<TimeUnit> ParsePrecision(std::string_view text) {
  if (text.empty() || text == "ns" || text == "n") return TimeUnit::kNanos;
  if (text == "us" || text == "u") return TimeUnit::kMicros;
  if (text == "ms") return TimeUnit::kMillis;
  if (text == "s") return TimeUnit::kSeconds;
  if (text == "m") return TimeUnit::kMinutes;
  if (text == "h") return TimeUnit::kHours;
  return InvalidArgument("precision '{}': expected ns, us, ms, s, m or h", Quoted(text));
}

namespace {

// Why timestamp `text` (an integer of the precision's unit, or not) cannot be stored, naming
// the range the precision accepts: the storable nanoseconds (IsStorableTimestamp) in its
// unit, and as times.
std::string TimestampOutOfRange(std::string_view text, TimeUnit precision) {
  const int64_t scale = NanosPer(precision);
  // The raw values r with r * scale storable: C++ division truncates toward zero, which is
  // a ceiling for the negative minimum and a floor for the positive maximum.
  const int64_t lo = kMinStorableTimestamp / scale;
  const int64_t hi = kMaxStorableTimestamp / scale;
  return fmt::format("timestamp '{}': out of range: precision {} accepts {}..{} ({}..{})",
                     Quoted(text), TimeUnitName(precision), lo, hi, FormatRfc3339(lo * scale),
                     FormatRfc3339(hi * scale));
}

}  // namespace

LineProtocolResult LineProtocolParser::Parse(std::string_view body, TimeUnit precision,
                                             TimestampNs now, SampleBatch& batch) {
  LineProtocolResult result;
  int64_t number = 0;
  for (size_t begin = 0; begin < body.size();) {
    const void* newline = std::memchr(body.data() + begin, '\n', body.size() - begin);
    const size_t end = newline
                           ? static_cast<size_t>(static_cast<const char*>(newline) - body.data())
                           : body.size();
    std::string_view line = body.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == ' ' || line.front() == '\t') {
      const size_t first = line.find_first_not_of(" \t");
      if (first == npos) continue;
      line.remove_prefix(first);
    }
    if (line.front() == '#') continue;
    ++result.lines;
    const size_t before = batch.size();
    std::string error = ParseLine(line, precision, now, batch, result.texts);
    if (error.empty()) {
      result.points += static_cast<int64_t>(batch.size() - before);
    } else {
      // The whole line: the quarantine bounds what it keeps, with the original size and a
      // hash of what it cut (store/governance/quarantine_bounds.h).
      result.errors.push_back({number, std::string(line), std::move(error)});
    }
  }
  return result;
}

std::string LineProtocolParser::ParseLine(std::string_view line, TimeUnit precision,
                                          TimestampNs now, SampleBatch& batch,
                                          std::vector<TextSample>& texts) {
  tags_.clear();
  fields_.clear();
  // Most lines have no escapes: their names are copied, not unescaped.
  const bool escaped = std::memchr(line.data(), '\\', line.size()) != nullptr;
  auto append = [&](std::string_view raw) {
    if (escaped) {
      AppendUnescaped(raw, name_);
    } else {
      name_.append(raw);
    }
  };
  size_t at = TokenEnd<false>(line, 0);
  const std::string_view measurement = line.substr(0, at);
  if (measurement.empty()) return "missing the measurement before ',' or ' '";
  while (at < line.size() && line[at] == ',') {
    const size_t key_end = TokenEnd<true>(line, at + 1);
    if (key_end >= line.size() || line[key_end] != '=') {
      return fmt::format("tag '{}' at column {}: expected key=value",
                         Quoted(line.substr(at + 1, key_end - at - 1)), at + 2);
    }
    const size_t value_end = TokenEnd<false>(line, key_end + 1);
    Pair tag{line.substr(at + 1, key_end - at - 1),
             line.substr(key_end + 1, value_end - key_end - 1)};
    if (tag.key.empty() || tag.value.empty()) {
      return fmt::format("tag at column {}: an empty key or value", at + 2);
    }
    tags_.push_back(tag);
    at = value_end;
  }
  if (at >= line.size()) return "no fields: expected a space and key=value after the tags";
  while (at < line.size() && line[at] == ' ')
    ++at;
  // Fields: key=value[,key=value...]
  while (true) {
    const size_t key_end = TokenEnd<true>(line, at);
    const std::string_view key = line.substr(at, key_end - at);
    if (key.empty() || key_end >= line.size() || line[key_end] != '=') {
      return fmt::format("field at column {}: expected key=value", at + 1);
    }
    size_t value_end;
    if (key_end + 1 < line.size() && line[key_end + 1] == '"') {
      // A string field: a text value.
      const size_t open = key_end + 1;
      const size_t close = StringEnd(line, open + 1);
      if (close == npos) {
        return fmt::format("field '{}': the string at column {} has no closing quote", Quoted(key),
                           open + 1);
      }
      const std::string_view text = line.substr(open + 1, close - open - 1);
      value_end = close + 1;
      if (value_end < line.size() && line[value_end] != ',' && line[value_end] != ' ') {
        return fmt::format(
            "field '{}': expected ',' or ' ' after the string's closing quote "
            "at column {}",
            Quoted(key), close + 1);
      }
      if (const size_t size = StringValueSize(text); size > kMaxTextValueBytes) {
        return fmt::format("field '{}': a string of {} bytes; at most {} are stored", Quoted(key),
                           size, kMaxTextValueBytes);
      }
      if (const Utf8Check utf8 = CheckUtf8(text.data(), text.size());
          utf8.stop != Utf8Check::kEnd) {
        return fmt::format("field '{}': the string is not UTF-8 (at byte {} of it)", Quoted(key),
                           utf8.valid + 1);
      }
      fields_.push_back({key, 0, true, text});
    } else {
      double value = 0;
      value_end = key_end + 1;
      while (value_end < line.size() && line[value_end] != ',' && line[value_end] != ' ')
        ++value_end;
      const std::string_view text = line.substr(key_end + 1, value_end - key_end - 1);
      if (!ParseNumber(text, &value)) {
        return fmt::format("field '{}': '{}' is not a number (a float, 12i, 12u, t or f)",
                           Quoted(key), Quoted(text));
      }
      fields_.push_back({key, value, false, {}});
    }
    at = value_end;
    if (at < line.size() && line[at] == ',') {
      ++at;
      continue;
    }
    break;
  }
  TimestampNs ts = now;
  while (at < line.size() && line[at] == ' ')
    ++at;
  if (at < line.size()) {
    const std::string_view text = line.substr(at);
    int64_t raw = 0;
    auto [p, ec] = ReadInteger(text, &raw);
    if (ec == std::errc::result_out_of_range && p == text.data() + text.size()) {
      return TimestampOutOfRange(text, precision);  // digits beyond int64
    }
    if (ec != std::errc() || p != text.data() + text.size()) {
      return fmt::format("timestamp '{}' at column {}: expected an integer", Quoted(text), at + 1);
    }
    if (__builtin_mul_overflow(raw, NanosPer(precision), &ts) || !IsStorableTimestamp(ts)) {
      return TimestampOutOfRange(text, precision);
    }
  }
  // The tag name: measurement/key=value.../field, tags sorted by key (as InfluxDB keys a
  // series), so that the order a client writes them in does not matter.
  if (tags_.size() > 1) {
    std::sort(tags_.begin(), tags_.end(),
              [](const Pair& a, const Pair& b) { return a.key < b.key; });
  }
  name_.clear();
  append(measurement);
  for (const Pair& t : tags_) {
    name_ += '/';
    append(t.key);
    name_ += '=';
    append(t.value);
  }
  name_ += '/';
  const size_t prefix = name_.size();
  // Check every name before adding any point: a line is stored whole or not at all.
  for (const Field& f : fields_) {
    name_.resize(prefix);
    append(f.key);
    if (name_.size() > kMaxTagNameBytes) {
      return fmt::format("field '{}': the tag name '{}...' is longer than {} bytes", Quoted(f.key),
                         name_.substr(0, 40), kMaxTagNameBytes);
    }
  }
  for (const Field& f : fields_) {
    name_.resize(prefix);
    append(f.key);
    if (f.is_text) {
      TextSample& t = texts.emplace_back();
      t.tag = name_;
      t.ts = ts;
      t.value.reserve(f.text.size());
      AppendStringValue(f.text, t.value);
    } else {
      batch.Add(name_, ts, f.value);
    }
  }
  return {};
}

}  // namespace fh::ingest
