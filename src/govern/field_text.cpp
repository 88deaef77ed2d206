#include "govern/field_text.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include <fast_float/fast_float.h>

#include <vector>

#include "common/text_trim.h"

namespace fh::govern {

// The record's line as text, in `buf`.
std::string_view LineText(const ingest::RecordBatch& batch, size_t record, char (&buf)[24]) {
  const auto r = std::to_chars(buf, buf + sizeof buf, batch.line(record));
  return {buf, static_cast<size_t>(r.ptr - buf)};
}

// Part `part` of `s` split on `sep` (negative from the end), or nullopt when there is none.
std::optional<std::string_view> SplitPart(std::string_view s, std::string_view sep, int part) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  const int n = static_cast<int>(parts.size());
  const int i = part < 0 ? n + part : part;
  if (i < 0 || i >= n) return std::nullopt;
  return parts[static_cast<size_t>(i)];
}

// Parses a number, with "1.234,5" accepted when decimal_comma is set. Leading '+' is fine.
std::optional<double> ParseNumber(std::string_view text, char decimal_comma, std::string& scratch) {
  if (decimal_comma) {
    scratch.clear();
    for (char c : text) {
      if (c == '.' || c == ' ') continue;  // thousands separators
      scratch.push_back(c == ',' ? '.' : c);
    }
    text = scratch;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

bool IsMissingNumberText(std::string_view t) {
  static constexpr std::string_view kMissing[] = {
      "",     "NaN", "nan",  "NA",   "N/A",      "n/a",    "NULL",    "null",    "None",    "<NA>",
      "#N/A", "#NA", "-NaN", "-nan", "#N/A N/A", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN"};
  return std::find(std::begin(kMissing), std::end(kMissing), t) != std::end(kMissing);
}

std::optional<bool> ParseBool(std::string_view t) {
  static constexpr std::string_view kTrue[] = {"true", "TRUE", "True", "1",  "yes", "YES",
                                               "Yes",  "y",    "Y",    "是", "on",  "ON"};
  static constexpr std::string_view kFalse[] = {"false", "FALSE", "False", "0",  "no",  "NO",
                                                "No",    "n",     "N",     "否", "off", "OFF"};
  for (std::string_view s : kTrue) {
    if (t == s) return true;
  }
  for (std::string_view s : kFalse) {
    if (t == s) return false;
  }
  return std::nullopt;
}

}  // namespace fh::govern
