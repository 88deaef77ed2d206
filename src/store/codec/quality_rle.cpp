#include "store/codec/quality_rle.h"

#include <algorithm>
#include <limits>

#include "store/codec/byte_io.h"

namespace fh::codec {

void AppendQualityRuns(std::span<const uint32_t> quality, std::string* out) {
  size_t runs = 0;
  for (size_t i = 0; i < quality.size(); ++i)
    runs += i == 0 || quality[i] != quality[i - 1];
  PutVarint64(out, runs);
  for (size_t i = 0; i < quality.size();) {
    size_t j = i + 1;
    while (j < quality.size() && quality[j] == quality[i])
      ++j;
    PutVarint64(out, quality[i]);
    PutVarint64(out, j - i);
    i = j;
  }
}

namespace {

// Walks the runs, calling fill(begin, length, quality) for each once it is validated.
template <typename Fill>
Status ForEachRun(std::string_view bytes, size_t count, Fill fill) {
  ByteReader r(bytes);
  uint64_t runs;
  if (!r.ReadVarint64(&runs)) return Corruption("quality: bad run count");
  if (runs > count) return Corruption("quality: {} runs for {} points", runs, count);
  size_t filled = 0;
  for (uint64_t k = 0; k < runs; ++k) {
    uint64_t q, len;
    if (!r.ReadVarint64(&q) || !r.ReadVarint64(&len)) return Corruption("quality: bad run {}", k);
    if (q > std::numeric_limits<uint32_t>::max()) {
      return Corruption("quality: run {}: code {} > 2^32-1", k, q);
    }
    if (len == 0 || len > count - filled) {
      return Corruption("quality: run {}: length {} with {} points left", k, len, count - filled);
    }
    fill(filled, static_cast<size_t>(len), static_cast<uint32_t>(q));
    filled += len;
  }
  if (filled != count) return Corruption("quality: runs cover {} of {} points", filled, count);
  if (r.remaining() != 0) return Corruption("quality: {} trailing bytes", r.remaining());
  return Status::Ok();
}

}  // namespace

Status CheckQualityRuns(std::string_view bytes, size_t count) {
  return ForEachRun(bytes, count, [](size_t, size_t, uint32_t) {});
}

Status DecodeQualityRuns(std::string_view bytes, size_t count, uint32_t* out) {
  return ForEachRun(bytes, count, [out](size_t begin, size_t len, uint32_t q) {
    std::fill(out + begin, out + begin + len, q);
  });
}

}  // namespace fh::codec
