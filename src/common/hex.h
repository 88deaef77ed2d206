// Hexadecimal digits, as percent escapes (URLs) and xlsx's _xHHHH_ escapes write them.
#pragma once

namespace fh {

// The value of one hex digit (either case), or -1 for any other character.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace fh
