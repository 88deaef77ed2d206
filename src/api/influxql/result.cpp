#include "api/influxql/result.h"

#include <charconv>
#include <cmath>

#include "common/time.h"

namespace fh::api::influxql {

namespace {

// Go's json string encoding: HTML-safe (<, >, & escaped), U+2028 and U+2029 escaped,
// invalid UTF-8 as U+FFFD.
void AppendGoString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out->push_back('\\');
        out->push_back(static_cast<char>(c));
      } else if (c == '\n') {
        out->append("\\n");
      } else if (c == '\r') {
        out->append("\\r");
      } else if (c == '\t') {
        out->append("\\t");
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
      } else {
        out->push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // A multi-byte sequence: copied when valid, else U+FFFD for its first byte.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool valid = len != 0 && c <= 0xF4 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (valid && len == 3) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      valid = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
      if (valid && c == 0xE2 && c1 == 0x80 &&
          (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
           static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
        out->append(static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
        i += 3;
        continue;
      }
    }
    if (valid && len == 4) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      valid = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!valid) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    out->append(s.substr(i, len));
    i += len;
  }
  out->push_back('"');
}

void AppendTime(int64_t ns, int64_t epoch_unit_ns, std::string* out) {
  if (epoch_unit_ns > 0) {
    out->append(std::to_string(ns / epoch_unit_ns));
    return;
  }
  // RFC 3339 with the fraction's trailing zeros trimmed (Go's RFC3339Nano).
  out->push_back('"');
  const size_t start = out->size();
  AppendRfc3339(ns, out);
  if (out->size() > start + 20 && out->back() == 'Z' && (*out)[start + 19] == '.') {
    out->pop_back();
    while (out->back() == '0')
      out->pop_back();
    out->push_back('Z');
  }
  out->push_back('"');
}

void AppendCell(const Cell& cell, int64_t epoch_unit_ns, std::string* out) {
  switch (cell.index()) {
    case 0:
      out->append("null");
      break;
    case 1:
      out->append(std::to_string(std::get<int64_t>(cell)));
      break;
    case 2:
      AppendGoFloat(std::get<double>(cell), out);
      break;
    case 3:
      AppendGoString(std::get<std::string>(cell), out);
      break;
    case 4:
      out->append(std::get<bool>(cell) ? "true" : "false");
      break;
    case 5:
      AppendTime(std::get<TimeCell>(cell).ns, epoch_unit_ns, out);
      break;
  }
}

void AppendSeries(const ResultSeries& s, int64_t epoch_unit_ns, std::string* out) {
  out->push_back('{');
  if (!s.name.empty()) {
    out->append("\"name\":");
    AppendGoString(s.name, out);
    out->push_back(',');
  }
  if (!s.tags.empty()) {
    out->append("\"tags\":{");
    for (size_t i = 0; i < s.tags.size(); ++i) {
      if (i) out->push_back(',');
      AppendGoString(s.tags[i].first, out);
      out->push_back(':');
      AppendGoString(s.tags[i].second, out);
    }
    out->append("},");
  }
  out->append("\"columns\":[");
  for (size_t i = 0; i < s.columns.size(); ++i) {
    if (i) out->push_back(',');
    AppendGoString(s.columns[i], out);
  }
  out->push_back(']');
  if (!s.values.empty()) {
    out->append(",\"values\":[");
    for (size_t r = 0; r < s.values.size(); ++r) {
      if (r) out->push_back(',');
      out->push_back('[');
      for (size_t c = 0; c < s.values[r].size(); ++c) {
        if (c) out->push_back(',');
        AppendCell(s.values[r][c], epoch_unit_ns, out);
      }
      out->push_back(']');
    }
    out->push_back(']');
  }
  if (s.Partial()) out->append(",\"partial\":true");
  out->push_back('}');
}

}  // namespace

void AppendGoFloat(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
  const double a = std::fabs(v);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
    // Go writes e-07 as e-7 (a two-digit exponent loses its leading zero).
    const size_t e = text.find('e');
    const size_t digits = e + 2;
    if (text.size() - digits == 2 && text[digits] == '0') {
      out->append(text.substr(0, digits));
      out->append(text.substr(digits + 1));
      return;
    }
    out->append(text);
    return;
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  out->append(buf, r.ptr);
}

bool ParseEpochParameter(std::string_view text, int64_t* unit_ns) {
  if (text.empty()) {
    *unit_ns = 0;
  } else if (text == "n" || text == "ns") {
    *unit_ns = 1;
  } else if (text == "u" || text == "us" || text == "\xC2\xB5") {
    *unit_ns = kNanosPerMicro;
  } else if (text == "ms") {
    *unit_ns = kNanosPerMilli;
  } else if (text == "s") {
    *unit_ns = kNanosPerSecond;
  } else if (text == "m") {
    *unit_ns = kNanosPerMinute;
  } else if (text == "h") {
    *unit_ns = kNanosPerHour;
  } else {
    return false;
  }
  return true;
}

std::string EncodeResults(const std::vector<StatementResult>& results, int64_t epoch_unit_ns) {
  std::string out = "{\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    if (i) out.push_back(',');
    out.append("{\"statement_id\":");
    out.append(std::to_string(i));
    const StatementResult& r = results[i];
    if (!r.error.empty()) {
      out.append(",\"error\":");
      AppendGoString(r.error, &out);
    } else if (!r.series.empty()) {
      out.append(",\"series\":[");
      for (size_t s = 0; s < r.series.size(); ++s) {
        if (s) out.push_back(',');
        AppendSeries(r.series[s], epoch_unit_ns, &out);
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out.append("]}");
  return out;
}

}  // namespace fh::api::influxql
