#include "common/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace fh {
namespace {

constexpr int kMaxFastScale = 6;
constexpr double kExactPow10[kMaxFastScale + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
// |v| below this keeps |m| = |v| * 10^6 under 10^15 < 2^53: m and the division are exact.
constexpr double kMaxFastMagnitude = 1e9;

// round(x) for 0 <= x < 2^51, inline (std::nearbyint is a library call without SSE4.1):
// adding 1.5 * 2^52 leaves no bits below the units, so the FPU rounds to nearest.
inline double RoundSmall(double x) {
  constexpr double kMagic = 6755399441055744.0;
  return (x + kMagic) - kMagic;  // not folded: IEEE arithmetic (no -ffast-math) forbids it
}

// The decimal digits of m > 0, written backwards ending at `end`; returns the first.
char* WriteDigitsBackwards(char* end, uint64_t m) {
  do {
    *--end = static_cast<char>('0' + m % 10);
    m /= 10;
  } while (m != 0);
  return end;
}

}  // namespace

char* WriteShortestDouble(char* buf, double v) {
  const double magnitude = std::fabs(v);
  if (magnitude < kMaxFastMagnitude) {
    if (v == 0) {
      if (std::signbit(v)) *buf++ = '-';
      *buf++ = '0';
      return buf;
    }
    for (int s = 0; s <= kMaxFastScale; ++s) {
      const double m = RoundSmall(magnitude * kExactPow10[s]);
      // m and 10^s are exact, so the quotient is the double nearest m / 10^s, which is
      // what a parser returns for the text: equality means the text reads back as v.
      // The smallest such s gives the fewest digits.
      if (m / kExactPow10[s] != magnitude) continue;
      char digits[24];
      char* const digits_end = digits + sizeof digits;
      const char* first = WriteDigitsBackwards(digits_end, static_cast<uint64_t>(m));
      auto count = static_cast<int>(digits_end - first);
      if (v < 0) *buf++ = '-';
      if (count <= s) {  // 0.00ddd
        *buf++ = '0';
        *buf++ = '.';
        for (int i = count; i < s; ++i)
          *buf++ = '0';
        for (; first != digits_end; ++first)
          *buf++ = *first;
        return buf;
      }
      for (int i = 0; i < count - s; ++i)
        *buf++ = *first++;
      if (s > 0) {
        *buf++ = '.';
        for (; first != digits_end; ++first)
          *buf++ = *first;
      }
      return buf;
    }
  }
  return std::to_chars(buf, buf + kMaxDoubleChars, v).ptr;
}

}  // namespace fh
