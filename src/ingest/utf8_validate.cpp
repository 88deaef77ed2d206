#include "ingest/utf8_validate.h"

#include <cstdint>
#include <cstring>

namespace fh::ingest {

Utf8Check CheckUtf8(const char* data, size_t size) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < size) {
    // Exports are mostly ASCII: skip it 16 bytes at a time.
    while (i + 16 <= size) {
      uint64_t a, b;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, p + i + 8, 8);
      if (((a | b) & 0x8080808080808080ULL) != 0) break;
      i += 16;
    }
    if (i == size) break;
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The lead byte gives the length and, for some, a narrower range for the second byte
    // (which is what rules out overlong forms, surrogates and code points past U+10FFFF).
    size_t length;
    unsigned low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return {i, Utf8Check::kInvalid};
    }
    for (size_t k = 1; k < length; ++k) {
      if (i + k == size) return {i, Utf8Check::kIncomplete};
      const unsigned b = p[i + k];
      if (b < low || b > high) return {i, Utf8Check::kInvalid};
      low = 0x80;
      high = 0xBF;
    }
    i += length;
  }
  return {size, Utf8Check::kEnd};
}

}  // namespace fh::ingest
