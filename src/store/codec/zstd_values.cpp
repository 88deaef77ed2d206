#include "store/codec/zstd_values.h"

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <zstd.h>

#include "store/codec/byte_io.h"

namespace fh::codec {

void AppendZstdValues(std::span<const double> values, int level, std::string* out) {
  if (values.empty()) return;
  const size_t raw_bytes = values.size() * sizeof(double);
  const void* raw = values.data();
  std::vector<uint8_t> le;  // only big-endian hosts need a byte-swapped copy
  if constexpr (std::endian::native != std::endian::little) {
    le.resize(raw_bytes);
    for (size_t i = 0; i < values.size(); ++i) {
      StoreLE64(le.data() + 8 * i, std::bit_cast<uint64_t>(values[i]));
    }
    raw = le.data();
  }
  const size_t start = out->size();
  out->resize(start + ZSTD_compressBound(raw_bytes));
  const size_t n = ZSTD_compress(out->data() + start, out->size() - start, raw, raw_bytes, level);
  // Compressing into a buffer of ZSTD_compressBound() bytes cannot fail.
  if (ZSTD_isError(n)) std::abort();
  out->resize(start + n);
}

Status CheckZstdValues(std::string_view bytes, size_t count) {
  if (count == 0) {
    if (!bytes.empty()) return Corruption("zstd values: {} bytes for no values", bytes.size());
    return Status::Ok();
  }
  const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size != count * sizeof(double)) {
    return Corruption("zstd values: frame holds {} bytes, expected {}", size,
                      count * sizeof(double));
  }
  return Status::Ok();
}

Status DecodeZstdValues(std::string_view bytes, size_t count, double* out) {
  FH_RETURN_IF_ERROR(CheckZstdValues(bytes, count));
  if (count == 0) return Status::Ok();
  const size_t n = ZSTD_decompress(out, count * sizeof(double), bytes.data(), bytes.size());
  if (ZSTD_isError(n)) return Corruption("zstd values: {}", ZSTD_getErrorName(n));
  if (n != count * sizeof(double)) {
    return Corruption("zstd values: {} bytes, expected {}", n, count * sizeof(double));
  }
  if constexpr (std::endian::native != std::endian::little) {
    for (size_t i = 0; i < count; ++i) {
      uint64_t bits;
      std::memcpy(&bits, out + i, 8);
      out[i] = std::bit_cast<double>(LoadLE64(reinterpret_cast<const uint8_t*>(&bits)));
    }
  }
  return Status::Ok();
}

}  // namespace fh::codec
