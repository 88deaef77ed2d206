// Shortest text of a double that reads back as the same double, fast for the values a
// plant produces: readings printed with a few decimals (21.375, 1480, -0.05).
//
// std::to_chars already gives the shortest round-trip text, but takes ~70 ns a number on
// this class of machine; a whole-plant JSON query prints millions of numbers. Values that
// are exactly m / 10^s (s <= 6, |m| < 10^15) are printed from the integer m instead, which
// is the same shortest digit string without the general search. Everything else (means,
// NaN, infinities) goes to std::to_chars; NaN and infinities print as to_chars does
// ("nan", "inf"), so JSON writers must map them first.
#pragma once

#include <string>

namespace fh {

// Most characters WriteShortestDouble writes.
inline constexpr int kMaxDoubleChars = 32;

// Writes the text at `buf` (room for kMaxDoubleChars) and returns its end. No terminator.
char* WriteShortestDouble(char* buf, double v);

inline void AppendShortestDouble(std::string* out, double v) {
  char buf[kMaxDoubleChars];
  out->append(buf, WriteShortestDouble(buf, v));
}

}  // namespace fh
