#include "ingest/line_protocol.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace fh::ingest {

namespace {

constexpr size_t npos = std::string_view::npos;

// The first unescaped character of `stops` at or after i (a backslash escapes the next
// character), or the end.
size_t TokenEnd(std::string_view s, size_t i, std::string_view stops) {
  for (; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
    } else if (stops.find(s[i]) != npos) {
      return i;
    }
  }
  return s.size();
}

// Appends `raw` without the backslashes of escaped ',', '=', ' ' and '\' (any other
// backslash is literal, as InfluxDB reads it).
void AppendUnescaped(std::string_view raw, std::string& out) {
  if (raw.find('\\') == npos) {
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

std::string Unescaped(std::string_view raw) {
  std::string out;
  AppendUnescaped(raw, out);
  return out;
}

bool IsBoolean(std::string_view v, double* out) {
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

// A field value: a float, an integer (i), an unsigned integer (u) or a boolean.
bool ParseNumber(std::string_view v, double* out) {
  if (v.empty()) return false;
  if (IsBoolean(v, out)) return true;
  const char* end = v.data() + v.size();
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
  // from_chars takes no leading '+'; line protocol floats may have one.
  const char* begin = v.data() + (v.front() == '+' ? 1 : 0);
  auto [p, ec] = std::from_chars(begin, end, *out);
  // Only finite numbers: InfluxDB refuses NaN and infinities too.
  return ec == std::errc() && p == end && std::isfinite(*out);
}

}  // namespace

Result<Precision> ParsePrecision(std::string_view text) {
  if (text.empty() || text == "ns" || text == "n") return Precision::kNanoseconds;
  if (text == "us" || text == "u") return Precision::kMicroseconds;
  if (text == "ms") return Precision::kMilliseconds;
  if (text == "s") return Precision::kSeconds;
  return InvalidArgument("precision '{}': expected ns, us, ms or s", text);
}

LineProtocolResult LineProtocolParser::Parse(std::string_view body, Precision precision,
                                             TimestampNs now, SampleBatch& batch) {
  if (&batch != cached_batch_ || batch.tag_names().size() < cached_size_) {
    cache_.Reset();
    cached_batch_ = &batch;
  }
  const int64_t scale = precision == Precision::kNanoseconds    ? 1
                        : precision == Precision::kMicroseconds ? 1'000
                        : precision == Precision::kMilliseconds ? 1'000'000
                                                                : 1'000'000'000;
  LineProtocolResult result;
  int64_t number = 0;
  for (size_t begin = 0; begin < body.size();) {
    size_t end = body.find('\n', begin);
    if (end == npos) end = body.size();
    std::string_view line = body.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first == npos || line[first] == '#') continue;
    line.remove_prefix(first);
    ++result.lines;
    const size_t before = batch.size();
    std::string error = ParseLine(line, scale, now, batch);
    if (error.empty()) {
      result.points += static_cast<int64_t>(batch.size() - before);
    } else {
      result.errors.push_back({number,
                               std::string(line.substr(0, std::min<size_t>(line.size(), 1024))),
                               std::move(error)});
    }
  }
  cached_size_ = batch.tag_names().size();
  return result;
}

std::string LineProtocolParser::ParseLine(std::string_view line, int64_t scale, TimestampNs now,
                                          SampleBatch& batch) {
  tags_.clear();
  fields_.clear();
  size_t at = TokenEnd(line, 0, ", ");
  const std::string_view measurement = line.substr(0, at);
  if (measurement.empty()) return "missing the measurement before ',' or ' '";
  while (at < line.size() && line[at] == ',') {
    const size_t key_end = TokenEnd(line, at + 1, "=, ");
    if (key_end >= line.size() || line[key_end] != '=') {
      return fmt::format("tag '{}' at column {}: expected key=value",
                         Unescaped(line.substr(at + 1, key_end - at - 1)), at + 2);
    }
    const size_t value_end = TokenEnd(line, key_end + 1, ", ");
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
    const size_t key_end = TokenEnd(line, at, "=, ");
    const std::string_view key = line.substr(at, key_end - at);
    if (key.empty() || key_end >= line.size() || line[key_end] != '=') {
      return fmt::format("field at column {}: expected key=value", at + 1);
    }
    size_t value_end;
    double value = 0;
    if (key_end + 1 < line.size() && line[key_end + 1] == '"') {
      return fmt::format(
          "field '{}': a string value; factoryhub stores numbers (floats, "
          "integers, booleans)",
          Unescaped(key));
    }
    value_end = line.find_first_of(", ", key_end + 1);
    if (value_end == npos) value_end = line.size();
    const std::string_view text = line.substr(key_end + 1, value_end - key_end - 1);
    if (!ParseNumber(text, &value)) {
      return fmt::format("field '{}': '{}' is not a number (a float, 12i, 12u, t or f)",
                         Unescaped(key), text);
    }
    fields_.push_back({key, value});
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
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), raw);
    if (ec != std::errc() || p != text.data() + text.size()) {
      return fmt::format("timestamp '{}' at column {}: expected an integer", text, at + 1);
    }
    if (__builtin_mul_overflow(raw, scale, &ts)) {
      return fmt::format("timestamp '{}': out of range", text);
    }
  }
  // The tag name: measurement/key=value.../field, tags sorted by key (as InfluxDB keys a
  // series), so that the order a client writes them in does not matter.
  if (tags_.size() > 1) {
    std::sort(tags_.begin(), tags_.end(),
              [](const Pair& a, const Pair& b) { return a.key < b.key; });
  }
  name_.clear();
  AppendUnescaped(measurement, name_);
  for (const Pair& t : tags_) {
    name_ += '/';
    AppendUnescaped(t.key, name_);
    name_ += '=';
    AppendUnescaped(t.value, name_);
  }
  name_ += '/';
  const size_t prefix = name_.size();
  // Check every name before adding any point: a line is stored whole or not at all.
  for (const Field& f : fields_) {
    name_.resize(prefix);
    AppendUnescaped(f.key, name_);
    if (name_.size() > kMaxTagNameBytes) {
      return fmt::format("field '{}': the tag name '{}...' is longer than {} bytes",
                         Unescaped(f.key), name_.substr(0, 40), kMaxTagNameBytes);
    }
  }
  for (const Field& f : fields_) {
    name_.resize(prefix);
    AppendUnescaped(f.key, name_);
    batch.Add(cache_.Intern(name_, &batch), ts, f.value);
  }
  return {};
}

}  // namespace fh::ingest
