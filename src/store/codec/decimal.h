// Decimal values: doubles that are exactly m / 10^s for an integer mantissa m, such as
// sensor readings printed with a fixed number of decimals and parsed back.
//
// A value belongs to scale s when decoding m = round(v * 10^s) as (double)m / 10^s gives
// v's exact bits. Both m and 10^s (s <= 22) are exact doubles, so the division is
// correctly rounded and returns the double nearest m / 10^s, which is precisely what a
// correct parser returned for the printed text: printed decimals round-trip. The check is
// bit-exact, so NaN, ±inf, -0.0 (0 / 10^s is +0.0) and denormals never qualify.
//
// |m| is kept below 2^51 (15 significant digits, more than any instrument) so that
// v * 10^s, which has a relative error below 2^-52, rounds to the right m, and so that
// mantissa <-> double conversion is a single add on the bit pattern (vectorisable; the
// hardware int64 -> double conversion is not, before AVX-512).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace fh::codec {

inline constexpr int kMaxDecimalScale = 18;
inline constexpr int64_t kMaxMantissa = int64_t{1} << 51;  // exclusive bound on |m|

// 10^s as doubles; every entry is exact (5^18 < 2^53).
inline constexpr double kPow10[kMaxDecimalScale + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                                        1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                                        1e14, 1e15, 1e16, 1e17, 1e18};

// 1.5 * 2^52: adding it to x with |x| < 2^51 leaves round(x) in the low mantissa bits.
inline constexpr double kRoundMagic = 6755399441055744.0;
inline constexpr uint64_t kRoundMagicBits = 0x4338000000000000;

// Exact for |m| <= 2^51.
inline double MantissaToDouble(int64_t m) {
  return std::bit_cast<double>(kRoundMagicBits + static_cast<uint64_t>(m)) - kRoundMagic;
}

struct DecimalPlan {
  int scale = 0;
  // Indices (ascending) of the values that are not decimals at `scale`: NaN, ±inf, -0.0,
  // a reading with more decimals than the rest. The encoder stores these raw.
  std::vector<uint32_t> exceptions;
};

// Chooses the smallest scale in [0, max_scale] at which all but at most max_exceptions
// values are decimals, or nullopt if there is none. mantissas (sized like values) receives
// each value's m; an exception gets the previous value's m, which keeps deltas small.
std::optional<DecimalPlan> PlanDecimal(std::span<const double> values, int max_scale,
                                       size_t max_exceptions, std::span<int64_t> mantissas);

// out[i] = m[i] / 10^scale, the inverse of FindDecimalScale. Requires |m[i]| <= 2^51.
void MantissasToDoubles(const int64_t* m, size_t n, int scale, double* out);

}  // namespace fh::codec
