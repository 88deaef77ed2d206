// An int64 column stored as differences of order 1 (deltas) or 2 (delta-of-deltas),
// zigzagged and bit-packed in blocks of kBlockSize. Timestamps and decimal mantissas use
// it: regular sampling makes every delta-of-delta zero, a random walk makes deltas small.
//
// Layout of a stream of n values v[0..n):
//   u8      order k (1 or 2), whichever is smaller for the data
//   varint  zigzag(v[0])                    if n >= 1
//   varint  zigzag(v[1] - v[0])             if k == 2 and n >= 2
//   u8      width 0..64 shared by every block, or kPerBlockWidths followed by one width
//           byte per block                  if n > k
//   blocks  residual j = zigzag(k-th difference ending at v[j + k]), kBlockSize per block
//           (the last may be shorter), PackedBytes(len, width) bytes each
// Differences wrap modulo 2^64 (see zigzag.h), so every int64 sequence round-trips.
// If every block has width 0 (e.g. 1 Hz timestamps) the whole stream is a few bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/codec/bitpack.h"

namespace fh::codec {

inline constexpr uint8_t kPerBlockWidths = 0xff;

// Appends the stream for `values`. order 0 picks the smaller of 1 and 2; tests force one.
void AppendIntStream(std::span<const int64_t> values, std::string* out, int order = 0);

// Decodes a stream block by block, so callers can transform each batch while it is in
// L1 (decimal values) or write straight into their output (timestamps).
class IntStreamReader {
 public:
  // Next() never returns more values than this.
  static constexpr size_t kMaxBatch = kBlockSize + 2;

  // Checks that `bytes` is exactly a stream of `count` values (order, varints, widths,
  // packed lengths); after OK, Next() cannot fail or read outside `bytes`.
  Status Init(std::string_view bytes, size_t count);

  // Writes the next batch (at most kMaxBatch values) to out; returns its size, 0 at end.
  size_t Next(int64_t* out);

 private:
  template <int kOrder>
  size_t NextResiduals(int64_t* out);

  int order_ = 1;
  size_t count_ = 0;
  size_t emitted_ = 0;
  uint64_t last_ = 0;                      // last value emitted
  uint64_t delta_ = 0;                     // last difference emitted (order 2)
  int shared_width_ = -1;                  // >= 0 when every block has this width
  const uint8_t* block_widths_ = nullptr;  // else one width per block
  size_t block_ = 0;
  const uint8_t* data_ = nullptr;  // next block's packed bytes
};

}  // namespace fh::codec
