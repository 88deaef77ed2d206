#include "store/codec/decimal_values.h"

#include <bit>
#include <cstdint>

#include "store/codec/byte_io.h"

namespace fh::codec {

void AppendDecimalValues(std::span<const double> values, std::span<const int64_t> mantissas,
                         const DecimalPlan& plan, std::string* out) {
  PutVarint64(out, plan.exceptions.size());
  uint64_t next = 0;  // smallest index the next exception can have
  for (const uint32_t i : plan.exceptions) {
    PutVarint64(out, i - next);
    uint8_t raw[8];
    StoreLE64(raw, std::bit_cast<uint64_t>(values[i]));
    out->append(reinterpret_cast<const char*>(raw), sizeof raw);
    next = uint64_t{i} + 1;
  }
  AppendIntStream(mantissas, out);
}

Status DecimalValuesReader::Init(std::string_view bytes, size_t count, int scale) {
  if (scale < 0 || scale > kMaxDecimalScale) return Corruption("decimal: scale {}", scale);
  scale_ = scale;
  ByteReader r(bytes);
  uint64_t e;
  if (!r.ReadVarint64(&e)) return Corruption("decimal: bad exception count");
  if (e > count) return Corruption("decimal: {} exceptions for {} values", e, count);
  uint64_t next = 0;
  for (uint64_t k = 0; k < e; ++k) {
    uint64_t gap;
    if (!r.ReadVarint64(&gap) || !r.Skip(8)) return Corruption("decimal: bad exception {}", k);
    if (gap >= count - next) return Corruption("decimal: exception {} beyond the values", k);
    next += gap + 1;
  }
  exception_count_ = e;
  exceptions_ = bytes.substr(0, bytes.size() - r.remaining());
  return mantissas_.Init(bytes.substr(exceptions_.size()), count);
}

void DecimalValuesReader::Decode(double* out) {
  int64_t m[IntStreamReader::kMaxBatch];
  size_t i = 0;
  while (const size_t k = mantissas_.Next(m)) {
    MantissasToDoubles(m, k, scale_, out + i);
    i += k;
  }
  // Init checked every exception; only the count's varint precedes them.
  ByteReader r(exceptions_);
  uint64_t v = 0;
  (void)r.ReadVarint64(&v);
  uint64_t next = 0;
  for (size_t k = 0; k < exception_count_; ++k) {
    uint64_t gap = 0;
    (void)r.ReadVarint64(&gap);
    next += gap;
    out[next] = std::bit_cast<double>(LoadLE64(r.position()));
    (void)r.Skip(8);
    ++next;
  }
}

}  // namespace fh::codec
