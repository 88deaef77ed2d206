// The kDecimal values section: mantissas as an int stream plus the few values that are
// not decimals, stored raw. A NaN for a failed reading or a "-0.000" from a printf no
// longer pushes a whole chunk of decimal data to Gorilla (5x larger).
//
// Layout:
//   varint  number of exceptions E
//   E times varint gap (index - previous index - 1; the first: its index),
//           u64 the value's bits
//   int stream (int_stream.h) of all n mantissas; an exception holds the previous
//           value's mantissa, so it costs no wide delta
// The scale is in the chunk header.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/codec/decimal.h"
#include "store/codec/int_stream.h"

namespace fh::codec {

// mantissas and plan as PlanDecimal made them for values.
void AppendDecimalValues(std::span<const double> values, std::span<const int64_t> mantissas,
                         const DecimalPlan& plan, std::string* out);

class DecimalValuesReader {
 public:
  // Validates the whole section for count values; after OK, Decode cannot fail.
  Status Init(std::string_view bytes, size_t count, int scale);
  void Decode(double* out);

 private:
  std::string_view exceptions_;
  size_t exception_count_ = 0;
  int scale_ = 0;
  IntStreamReader mantissas_;
};

}  // namespace fh::codec
