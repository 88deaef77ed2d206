#include "store/codec/decimal.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

namespace fh::codec {
namespace {

enum class Fit { kYes, kNo, kTooLarge };

// Whether v is a decimal at scale s; if so, *m is its mantissa. kTooLarge means |m| would
// reach 2^51, here and at every larger scale.
inline Fit ToMantissa(double v, int s, int64_t* m) {
  const double x = v * kPow10[s];
  if (!(std::fabs(x) < static_cast<double>(kMaxMantissa))) {
    return std::isfinite(v) ? Fit::kTooLarge : Fit::kNo;
  }
  // Rounds to nearest (even on ties) via the magic add; no libm call.
  const int64_t r =
      static_cast<int64_t>(std::bit_cast<uint64_t>(x + kRoundMagic) - kRoundMagicBits);
  if (r >= kMaxMantissa || r <= -kMaxMantissa) return Fit::kTooLarge;
  *m = r;
  return std::bit_cast<uint64_t>(MantissaToDouble(r) / kPow10[s]) == std::bit_cast<uint64_t>(v)
             ? Fit::kYes
             : Fit::kNo;
}

// The smallest scale at which v is a decimal, or max_scale + 1 if none. A decimal at
// scale s is one at every larger scale too (same real number m/10^s, same correctly
// rounded quotient) until its mantissa outgrows 2^51, so the search can start at a guess
// (the previous value's scale, usually right) and walk down or up from there.
int MinScale(double v, int max_scale, int guess) {
  constexpr uint64_t kNegativeZero = uint64_t{1} << 63;
  if (!std::isfinite(v) || std::bit_cast<uint64_t>(v) == kNegativeZero) return max_scale + 1;
  int64_t m;
  const Fit at_guess = ToMantissa(v, guess, &m);
  if (at_guess == Fit::kYes) {
    while (guess > 0 && ToMantissa(v, guess - 1, &m) == Fit::kYes)
      --guess;
    return guess;
  }
  // kTooLarge: a smaller scale may still fit; start from 0 (rare: huge values).
  int s = at_guess == Fit::kNo ? guess + 1 : 0;
  for (; s <= max_scale; ++s) {
    const Fit f = ToMantissa(v, s, &m);
    if (f == Fit::kYes) return s;
    if (f == Fit::kTooLarge) break;
  }
  return max_scale + 1;
}

// Mantissas at scale s; false if more than max_exceptions values do not fit.
bool AssignMantissas(std::span<const double> values, int s, size_t max_exceptions,
                     std::span<int64_t> mantissas, std::vector<uint32_t>* exceptions) {
  exceptions->clear();
  int64_t prev = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (ToMantissa(values[i], s, &mantissas[i]) != Fit::kYes) {
      if (exceptions->size() == max_exceptions) return false;
      exceptions->push_back(static_cast<uint32_t>(i));
      mantissas[i] = prev;
    }
    prev = mantissas[i];
  }
  return true;
}

}  // namespace

std::optional<DecimalPlan> PlanDecimal(std::span<const double> values, int max_scale,
                                       size_t max_exceptions, std::span<int64_t> mantissas) {
  assert(mantissas.size() == values.size());
  max_scale = std::clamp(max_scale, 0, kMaxDecimalScale);
  // How many values need each scale; [max_scale + 1] counts those that fit none.
  std::array<size_t, kMaxDecimalScale + 2> need = {};
  int guess = 0;
  for (const double v : values) {
    const int s = MinScale(v, max_scale, guess);
    ++need[s];
    if (s <= max_scale) guess = s;
    if (need[max_scale + 1] > max_exceptions) return std::nullopt;
  }
  // The smallest scale leaving at most max_exceptions values above it.
  int first = 0;
  size_t above = values.size() - need[0];
  while (above > max_exceptions)
    above -= need[++first];
  // At that scale a value's mantissa may outgrow 2^51 and add exceptions; a larger scale
  // can then still work if it turns values that need it from exceptions into decimals.
  DecimalPlan plan;
  for (plan.scale = first; plan.scale <= max_scale; ++plan.scale) {
    if (AssignMantissas(values, plan.scale, max_exceptions, mantissas, &plan.exceptions)) {
      return plan;
    }
  }
  return std::nullopt;
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
