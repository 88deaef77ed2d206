// ASCII character classes and case, locale-free: the digits, names and keywords of plant
// files and protocols are ASCII whatever the locale of the machine reading them.
#pragma once

#include <string>
#include <string_view>

namespace fh {

constexpr bool IsAsciiDigit(char c) {
  return static_cast<unsigned char>(c - '0') <= 9;
}

constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string AsciiLowered(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = AsciiLower(c);
  return out;
}

}  // namespace fh
