// Trimming a field's text. Two sets, because sources differ in what may surround a value:
// a CSV cell or a list item is padded with blanks (spaces, tabs), while a value that may
// end a line (an xlsx cell, a mapped field) can also carry CR and LF.
#pragma once

#include <string_view>

namespace fh {

constexpr bool IsBlank(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool IsSpaceOrNewline(char c) {
  return IsBlank(c) || c == '\r' || c == '\n';
}

// Without leading and trailing spaces and tabs.
constexpr std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back()))
    s.remove_suffix(1);
  return s;
}

// Without leading and trailing spaces, tabs, CR and LF.
constexpr std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpaceOrNewline(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsSpaceOrNewline(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace fh
