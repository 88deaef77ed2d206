// Zigzag mapping and wrapping differences for integer columns.
//
// Differences are taken in uint64_t so that any int64 sequence (INT64_MIN next to
// INT64_MAX, huge gaps) encodes without signed overflow: the decoder adds them back
// modulo 2^64 and recovers the exact inputs. Zigzag then maps small magnitudes of either
// sign to small unsigned numbers (0, -1, 1, -2 -> 0, 1, 2, 3) so they bit-pack narrowly.
#pragma once

#include <cstdint>

namespace fh::codec {

// Takes the two's-complement bit pattern of a signed difference.
inline uint64_t ZigzagEncode(uint64_t v) {
  return (v << 1) ^ (0 - (v >> 63));  // arithmetic shift written without signed ops
}

inline uint64_t ZigzagDecode(uint64_t v) {
  return (v >> 1) ^ (0 - (v & 1));
}

inline uint64_t ToBits(int64_t v) {
  return static_cast<uint64_t>(v);
}
inline int64_t FromBits(uint64_t v) {
  return static_cast<int64_t>(v);
}  // modular (C++20)

}  // namespace fh::codec
