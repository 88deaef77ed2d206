#include "connect/mqtt/topic_mapping.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/text_excerpt.h"
#include "common/time.h"
#include "ingest/line_protocol.h"

namespace fh::connect {

namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  while (true) {
    const size_t end = s.find(sep, begin);
    out.push_back(s.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

bool IsName(std::string_view level) {
  return level.size() > 2 && level.front() == '{' && level.back() == '}';
}

// The member at a dotted path, or null.
const nlohmann::json* At(const nlohmann::json& root, std::string_view path) {
  const nlohmann::json* at = &root;
  if (path.empty()) return at;
  for (std::string_view part : Split(path, '.')) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(std::string(part));
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

// A payload that is a number as text, read by line protocol's rules for a float field:
// surrounding white space is ignored, one leading sign ('+' or '-') is allowed, a
// boolean is 1 or 0, and NaN and infinities are refused (InfluxDB refuses them too).
// Why it is not a number, or "".
std::string ParseNumberPayload(std::string_view payload, double* out) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  std::string_view text = payload;
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "payload is empty: expected a number";
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  if (ingest::ParseBooleanText(text, out)) return {};
  const std::string shown = Excerpt(text, 64);
  // from_chars takes no leading '+': it is skipped, and a sign after it is no number.
  const bool plus = text.front() == '+';
  const std::string_view digits = plus ? text.substr(1) : text;
  if (plus && (digits.empty() || digits.front() == '-')) {
    return fmt::format("payload '{}' is not a number", shown);
  }
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  if (ec == std::errc::result_out_of_range) {
    return fmt::format("payload '{}' is out of the range of a double", shown);
  }
  if (ec != std::errc() || p != digits.data() + digits.size()) {
    return fmt::format("payload '{}' is not a number", shown);
  }
  if (!std::isfinite(*out)) {
    return fmt::format("payload '{}' is not a finite number (NaN and infinities are refused)",
                       shown);
  }
  return {};
}

// What a JSON value is, for an error message.
std::string Describe(const nlohmann::json& v) {
  if (v.is_string()) {
    const std::string& text = v.get_ref<const std::string&>();
    return fmt::format("text (\"{}\")", Excerpt(text, 64));
  }
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  return Excerpt(JsonText(v), 64);
}

// A JSON number or boolean (1, 0) as a point's value; false for other values. (nlohmann
// refuses a number no double holds while parsing, so the number is finite.)
bool JsonNumber(const nlohmann::json& v, double* out) {
  if (v.is_boolean()) {
    *out = v.get<bool>() ? 1 : 0;
    return true;
  }
  if (!v.is_number()) return false;
  *out = v.get<double>();
  return true;
}

}  // namespace

Result<TopicMapping> TopicMapping::Make(TopicMappingSpec spec) {
  TopicMapping m;
  if (spec.topic.empty()) return InvalidArgument("topic: empty");
  for (std::string_view level : Split(spec.topic, '/')) {
    if (IsName(level)) {
      m.names_.emplace_back(level.substr(1, level.size() - 2));
      m.filter_ += m.filter_.empty() && m.levels_.empty() ? "+" : "/+";
    } else {
      if (level.find_first_of("{}+#") != std::string_view::npos) {
        return InvalidArgument("topic '{}': '{}' is neither a level nor a whole {{name}}",
                               spec.topic, level);
      }
      m.filter_ += (m.levels_.empty() ? "" : "/") + std::string(level);
    }
    m.levels_.emplace_back(level);
  }
  // The tag template: each {name} must be one of the topic's, or {field}.
  for (size_t at = spec.tag.find('{'); at != std::string::npos; at = spec.tag.find('{', at + 1)) {
    const size_t end = spec.tag.find('}', at);
    if (end == std::string::npos) return InvalidArgument("tag '{}': an unclosed {{", spec.tag);
    const std::string name = spec.tag.substr(at + 1, end - at - 1);
    if (name == "field") {
      m.per_field_ = true;
    } else if (std::find(m.names_.begin(), m.names_.end(), name) == m.names_.end()) {
      return InvalidArgument("tag '{}': {{{}}} is not a name of the topic '{}'", spec.tag, name,
                             spec.topic);
    }
  }
  if (m.per_field_ && !spec.json) {
    return InvalidArgument("tag '{}': {{field}} needs a JSON payload", spec.tag);
  }
  m.spec_ = std::move(spec);
  return m;
}

bool TopicMapping::Bind(std::string_view topic, std::vector<std::string_view>* values) const {
  const std::vector<std::string_view> parts = Split(topic, '/');
  if (parts.size() != levels_.size()) return false;
  values->clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (IsName(levels_[i])) {
      if (parts[i].empty()) return false;
      values->push_back(parts[i]);
    } else if (parts[i] != levels_[i]) {
      return false;
    }
  }
  return true;
}

bool TopicMapping::Matches(std::string_view topic) const {
  std::vector<std::string_view> values;
  return Bind(topic, &values);
}

std::string TopicMapping::TagName(const std::vector<std::string_view>& values,
                                  std::string_view field) const {
  if (spec_.tag.empty()) {
    std::string out;
    for (size_t i = 0, v = 0; i < levels_.size(); ++i) {
      if (i) out += '/';
      out += IsName(levels_[i]) ? std::string(values[v++]) : levels_[i];
    }
    return out;
  }
  std::string out;
  for (size_t i = 0; i < spec_.tag.size();) {
    if (spec_.tag[i] != '{') {
      out += spec_.tag[i++];
      continue;
    }
    const size_t end = spec_.tag.find('}', i);
    const std::string name = spec_.tag.substr(i + 1, end - i - 1);
    if (name == "field") {
      out.append(field);
    } else {
      const auto at = std::find(names_.begin(), names_.end(), name) - names_.begin();
      out.append(values[static_cast<size_t>(at)]);
    }
    i = end + 1;
  }
  return out;
}

std::string TopicMapping::Decode(std::string_view topic, std::string_view payload,
                                 TimestampNs arrival, SampleBatch& batch, int64_t* skipped) const {
  std::vector<std::string_view> values;
  if (!Bind(topic, &values))
    return fmt::format("topic '{}' does not match '{}'", topic, spec_.topic);
  // A message is stored whole or not at all: its points are checked before any is added.
  std::vector<std::pair<std::string, double>> points;
  int64_t not_numbers = 0;
  auto add = [&](std::string_view field, double v) -> std::string {
    std::string name = TagName(values, field);
    if (!IsValidTagName(name)) {
      return fmt::format("tag name '{}' must be 1 to {} bytes", Excerpt(name, 64),
                         kMaxTagNameBytes);
    }
    points.emplace_back(std::move(name), v);
    return {};
  };
  auto commit = [&](TimestampNs ts) {
    for (const auto& [name, v] : points)
      batch.Add(name, ts, v);
    if (skipped) *skipped += not_numbers;
  };
  if (!spec_.json) {
    double v = 0;
    if (std::string e = ParseNumberPayload(payload, &v); !e.empty()) return e;
    std::string error = add({}, v);
    if (error.empty()) commit(arrival);
    return error;
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(payload);
  } catch (const nlohmann::json::parse_error& e) {
    return fmt::format("payload is not JSON (at byte {})", e.byte);
  } catch (const nlohmann::json::out_of_range&) {  // 1e999: no double holds it
    return "payload holds a number out of the range of a double";
  }
  if (!spec_.time.empty()) {
    const nlohmann::json* t = At(doc, spec_.time);
    if (t == nullptr) return fmt::format("payload has no '{}' (the time)", spec_.time);
    if (t->is_number_integer()) {  // epoch milliseconds, exactly
      // An unsigned number past int64's range would wrap to a negative time.
      if ((t->is_number_unsigned() && t->get<uint64_t>() > uint64_t{INT64_MAX}) ||
          __builtin_mul_overflow(t->get<int64_t>(), int64_t{1'000'000}, &arrival)) {
        return fmt::format("'{}': out of range", spec_.time);
      }
    } else if (t->is_number_float()) {  // fractional milliseconds
      const double ns = t->get<double>() * 1e6;
      if (!(std::fabs(ns) < 9.2e18)) return fmt::format("'{}': out of range", spec_.time);
      arrival = static_cast<TimestampNs>(std::llround(ns));
    } else if (t->is_string()) {
      Result<int64_t> parsed = ParseRfc3339(t->get_ref<const std::string&>());
      if (!parsed.ok()) return fmt::format("'{}': {}", spec_.time, parsed.status().message());
      arrival = *parsed;
    } else {
      return fmt::format("'{}': RFC 3339 text or epoch milliseconds", spec_.time);
    }
    if (!IsStorableTimestamp(arrival)) return fmt::format("'{}': out of range", spec_.time);
  }
  const nlohmann::json* v = At(doc, spec_.value);
  if (v == nullptr) return fmt::format("payload has no '{}'", spec_.value);
  // nlohmann reads a number too large for a double (1e999) as infinity.
  auto finite = [](const std::string& path, double x) -> std::string {
    if (std::isfinite(x)) return {};
    return fmt::format("'{}' is out of the range of a double", path);
  };
  if (per_field_) {
    if (!v->is_object()) return fmt::format("'{}' is not an object of numbers", spec_.value);
    const std::string base = spec_.value.empty() ? "" : spec_.value + ".";
    for (const auto& [key, member] : v->items()) {
      if (base + key == spec_.time) continue;
      double x = 0;
      if (!JsonNumber(member, &x)) {
        ++not_numbers;  // text, null, nested: not a signal; counted, not stored
        continue;
      }
      if (std::string e = finite(base + key, x); !e.empty()) return e;
      if (std::string e = add(key, x); !e.empty()) return e;
    }
    if (points.empty()) return fmt::format("'{}' holds no number", spec_.value);
  } else {
    double x = 0;
    if (!JsonNumber(*v, &x)) {
      return fmt::format("'{}' is {}, not a number", spec_.value, Describe(*v));
    }
    if (std::string e = finite(spec_.value, x); !e.empty()) return e;
    if (std::string e = add({}, x); !e.empty()) return e;
  }
  commit(arrival);
  return {};
}

}  // namespace fh::connect
