// Bit packing of unsigned integers in blocks of 128, each block with one bit width.
//
// A block of `count` values of `width` bits is a little-endian bit stream: value i sits
// at bits [i*width, (i+1)*width), least significant bit first, in PackedBytes(count,
// width) bytes. A full block is therefore exactly 16*width bytes, i.e. 2*width whole
// 64-bit words, which lets the decoder use one straight-line routine per width (chosen
// once per block, not per value) that the compiler unrolls and schedules freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace fh::codec {

inline constexpr size_t kBlockSize = 128;
inline constexpr int kMaxBitWidth = 64;

inline constexpr size_t PackedBytes(size_t count, int width) {
  return (count * static_cast<size_t>(width) + 7) / 8;
}

// Bits needed for the largest of count values (0 when all are zero).
int BitWidth(const uint64_t* values, size_t count);

// Appends count (<= kBlockSize) values, each < 2^width, in PackedBytes(count, width) bytes.
void PackBlock(const uint64_t* values, size_t count, int width, std::string* out);

// Reads a full block: kBlockSize values from 16*width bytes. Requires width <= 64.
void UnpackBlock(const uint8_t* in, int width, uint64_t* out);

// Reads count (< kBlockSize) values from PackedBytes(count, width) bytes; out must have
// room for kBlockSize values (the tail is decoded as a zero-padded full block).
void UnpackPartialBlock(const uint8_t* in, size_t count, int width, uint64_t* out);

}  // namespace fh::codec
