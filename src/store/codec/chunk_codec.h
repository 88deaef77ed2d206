// The compressed column chunk: how one tag's points in one time span are stored.
//
// A chunk holds n points with strictly increasing timestamps. Its layout (all integers
// little-endian) is a small header followed by three column sections:
//   timestamps  delta-of-delta, zigzag, bit-packed (regular sampling costs ~0 bits/point)
//   values      one of ValueEncoding, chosen per chunk as the smallest for the data
//   quality     run-length encoded (quality rarely changes)
// Decoding is bit-exact: every double (NaN payloads, ±inf, -0.0, denormals) comes back
// with the bits it went in with.
//
// Blob layout (format version 1; integers little-endian):
//   header, 20 bytes  u8 version (1), u8 ValueEncoding, u8 decimal scale (0 unless
//                     kDecimal), u8 flags (0), u32 count, u32 ts bytes, u32 value bytes,
//                     u32 quality bytes; the three sections follow and end the blob
//   timestamps        int stream (int_stream.h): first value, first delta, zigzagged
//                     delta-of-deltas (or plain deltas if smaller) packed in blocks of 128
//   values            kDecimal: the few non-decimal values raw, then an int stream of
//                     the mantissas (decimal_values.h); kGorilla: gorilla.h;
//                     kZstd: one zstd frame of raw doubles
//   quality           runs (quality_rle.h)
// The fixed header makes ReadChunkInfo O(1) and lets a reader skip the quality section.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace fh::codec {

enum class ValueEncoding : uint8_t {
  // Values are integers times 10^-scale (e.g. sensor readings printed with 3 decimals):
  // the integers are delta-coded, zigzagged and bit-packed in blocks. Up to 1 value in
  // 64 that is not (NaN, -0.0, a stray full-precision reading) is stored raw beside them.
  kDecimal = 1,
  // Gorilla XOR of consecutive values' bits (Pelkonen et al., VLDB 2015).
  kGorilla = 2,
  // Raw little-endian doubles, zstd-compressed.
  kZstd = 3,
};

// Most points a chunk may hold; DecodeChunk rejects larger counts before allocating.
inline constexpr uint32_t kMaxChunkPoints = 1u << 24;

struct EncodeOptions {
  // Largest decimal scale tried for kDecimal (values with more decimals use another
  // encoding). Default 9; values above 18 count as 18.
  int max_decimal_scale = 9;
  // zstd compression level for kZstd (default 3).
  int zstd_level = 3;
  // Forces the value encoding (tests, benchmarks); unset (default) picks the smallest.
  // A forced kDecimal applies only if the values are decimals at a scale no larger than
  // max_decimal_scale; otherwise the encoding is chosen as if unset.
  std::optional<ValueEncoding> force_encoding;
};

// Encodes n points. Requires ts strictly increasing (the caller sorts and de-duplicates),
// the three spans of equal size, and n <= kMaxChunkPoints. `out` is overwritten; its
// capacity is reused.
void EncodeChunk(std::span<const int64_t> ts, std::span<const double> values,
                 std::span<const uint32_t> quality, const EncodeOptions& options, std::string* out);

struct ChunkInfo {
  uint32_t count = 0;
  ValueEncoding encoding = ValueEncoding::kDecimal;
  int decimal_scale = 0;  // meaningful for kDecimal
};

// Reads the header only. Corruption if the blob is not a chunk.
Result<ChunkInfo> ReadChunkInfo(std::string_view blob);

// An allocator whose resize() leaves new elements uninitialised: the decoder overwrites
// every one, and zeroing up to 8192 points per chunk first would cost as much as decoding.
template <class T>
struct NoInitAllocator : std::allocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  NoInitAllocator() = default;
  template <class U>
  NoInitAllocator(const NoInitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <class T>
using DecodeBuffer = std::vector<T, NoInitAllocator<T>>;

// Decoded columns. Decoding resizes the vectors to the chunk's count; reusing one
// DecodedChunk across calls avoids allocation.
struct DecodedChunk {
  DecodeBuffer<int64_t> ts;
  DecodeBuffer<double> values;
  DecodeBuffer<uint32_t> quality;
};

// Decodes every column. Corruption (never a crash, never UB) for any malformed blob; the
// outputs' contents are then unspecified.
Status DecodeChunk(std::string_view blob, DecodedChunk* out);
// Decodes timestamps and values only (the aggregate path has no use for quality).
Status DecodeTimestampsAndValues(std::string_view blob, DecodeBuffer<int64_t>* ts,
                                 DecodeBuffer<double>* values);

}  // namespace fh::codec
