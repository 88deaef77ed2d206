#include "common/personal_mask.h"

#include <algorithm>

namespace fh {

namespace {

// The byte length of the UTF-8 character starting at `c` (1 for a stray byte).
size_t CharLength(unsigned char c) {
  if (c >= 0xF0 && c < 0xF8) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += CharLength(static_cast<unsigned char>(s[i])))
    ++n;
  return n;
}

}  // namespace

std::string MaskPersonal(std::string_view text) {
  if (text.empty()) return "";
  const size_t at = text.find('@');
  if (at != std::string_view::npos && at > 0) {
    const size_t first = std::min(CharLength(static_cast<unsigned char>(text[0])), at);
    return std::string(text.substr(0, first)) + "***" + std::string(text.substr(at));
  }
  const size_t digits = static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
  if (digits >= 7 && digits * 10 >= text.size() * 7) {
    // A phone or id number: its first three and last four digits, the rest starred.
    std::string out(text);
    size_t seen = 0;
    for (char& c : out) {
      if (c < '0' || c > '9') continue;
      ++seen;
      if (seen > 3 && seen <= digits - 4) c = '*';
    }
    return out;
  }
  const size_t first = std::min(CharLength(static_cast<unsigned char>(text[0])), text.size());
  const size_t rest = CountChars(text.substr(first));
  if (rest == 0) return "*";  // one character: showing it would show all
  return std::string(text.substr(0, first)) + std::string(rest, '*');
}

std::string MaskInText(std::string_view text, std::string_view value) {
  if (value.empty()) return std::string(text);
  const std::string mask = MaskPersonal(value);
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(value, start);
    if (at == std::string_view::npos) break;
    out.append(text.substr(start, at - start));
    out += mask;
    start = at + value.size();
  }
  out.append(text.substr(start));
  return out;
}

}  // namespace fh
