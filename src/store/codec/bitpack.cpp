#include "store/codec/bitpack.h"

#include <array>
#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

#include "store/codec/byte_io.h"

namespace fh::codec {
namespace {

// Value I of a block of width W. Word index, shift and whether the value straddles two
// words are compile-time constants, so each value costs a load, a shift and a mask.
template <int W, size_t I>
inline uint64_t Extract(const uint8_t* in) {
  constexpr size_t kBit = I * W;
  constexpr size_t kWord = kBit / 64;
  constexpr int kShift = static_cast<int>(kBit % 64);
  uint64_t v = LoadLE64(in + 8 * kWord) >> kShift;
  if constexpr (kShift + W > 64) v |= LoadLE64(in + 8 * (kWord + 1)) << (64 - kShift);
  if constexpr (W < 64) v &= (uint64_t{1} << W) - 1;
  return v;
}

// 64 values of width W fill exactly W words, so a block is two identical halves.
template <int W, size_t... I>
inline void Unpack64(const uint8_t* in, uint64_t* out, std::index_sequence<I...>) {
  ((out[I] = Extract<W, I>(in)), ...);
}

template <int W>
void Unpack128(const uint8_t* in, uint64_t* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, kBlockSize * sizeof(uint64_t));
  } else {
    Unpack64<W>(in, out, std::make_index_sequence<64>{});
    Unpack64<W>(in + 8 * W, out + 64, std::make_index_sequence<64>{});
  }
}

using UnpackFn = void (*)(const uint8_t*, uint64_t*);

template <size_t... W>
constexpr std::array<UnpackFn, sizeof...(W)> MakeUnpackTable(std::index_sequence<W...>) {
  return {&Unpack128<static_cast<int>(W)>...};
}

constexpr auto kUnpack = MakeUnpackTable(std::make_index_sequence<kMaxBitWidth + 1>{});

}  // namespace

int BitWidth(const uint64_t* values, size_t count) {
  uint64_t all = 0;
  for (size_t i = 0; i < count; ++i)
    all |= values[i];
  return std::bit_width(all);
}

void PackBlock(const uint64_t* values, size_t count, int width, std::string* out) {
  assert(count <= kBlockSize && width >= 0 && width <= kMaxBitWidth);
  uint8_t buf[kBlockSize * 8 + 8];
  const size_t bytes = PackedBytes(count, width);
  std::memset(buf, 0, bytes + 8);
  if (width > 0) {
    size_t bit = 0;
    for (size_t i = 0; i < count; ++i, bit += width) {
      // OR the value into the (at most two) words it touches.
      const size_t word = bit / 64;
      const int shift = static_cast<int>(bit % 64);
      uint8_t* p = buf + 8 * word;
      StoreLE64(p, LoadLE64(p) | (values[i] << shift));
      if (shift + width > 64) StoreLE64(p + 8, LoadLE64(p + 8) | (values[i] >> (64 - shift)));
    }
  }
  out->append(reinterpret_cast<const char*>(buf), bytes);
}

void UnpackBlock(const uint8_t* in, int width, uint64_t* out) {
  assert(width >= 0 && width <= kMaxBitWidth);
  kUnpack[width](in, out);
}

void UnpackPartialBlock(const uint8_t* in, size_t count, int width, uint64_t* out) {
  assert(count < kBlockSize && width >= 0 && width <= kMaxBitWidth);
  uint8_t padded[kBlockSize * 8] = {};
  std::memcpy(padded, in, PackedBytes(count, width));
  kUnpack[width](padded, out);
}

}  // namespace fh::codec
