#include "store/codec/decimal.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace fh::codec {
namespace {

// Whether v is a decimal at scale s; if so, *m is its mantissa.
inline bool ToMantissa(double v, int s, int64_t* m) {
  const double x = v * kPow10[s];
  if (!(std::fabs(x) < static_cast<double>(kMaxMantissa))) return false;  // also NaN, inf
  // Rounds to nearest (even on ties) via the magic add; no libm call.
  const int64_t r =
      static_cast<int64_t>(std::bit_cast<uint64_t>(x + kRoundMagic) - kRoundMagicBits);
  if (r >= kMaxMantissa || r <= -kMaxMantissa) return false;
  *m = r;
  return std::bit_cast<uint64_t>(MantissaToDouble(r) / kPow10[s]) == std::bit_cast<uint64_t>(v);
}

}  // namespace

std::optional<int> FindDecimalScale(std::span<const double> values, int max_scale,
                                    std::span<int64_t> mantissas) {
  assert(mantissas.size() == values.size());
  max_scale = std::clamp(max_scale, 0, kMaxDecimalScale);
  // A value that is a decimal at scale s is one at every larger scale too (same real
  // number m/10^s, same correctly rounded quotient) unless its mantissa outgrows 2^51.
  // So find the largest per-value minimum, then confirm every value at that scale.
  int scale = 0;
  int64_t m;
  for (const double v : values) {
    while (!ToMantissa(v, scale, &m)) {
      if (++scale > max_scale) return std::nullopt;
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!ToMantissa(values[i], scale, &mantissas[i])) return std::nullopt;
  }
  return scale;
}

void MantissasToDoubles(const int64_t* m, size_t n, int scale, double* out) {
  assert(scale >= 0 && scale <= kMaxDecimalScale);
  if (scale == 0) {
    for (size_t i = 0; i < n; ++i)
      out[i] = MantissaToDouble(m[i]);
    return;
  }
  const double p = kPow10[scale];
  for (size_t i = 0; i < n; ++i)
    out[i] = MantissaToDouble(m[i]) / p;  // vectorises
}

}  // namespace fh::codec
