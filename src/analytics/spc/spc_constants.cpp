#include "analytics/spc/spc_constants.h"

#include <array>
#include <cmath>
#include <mutex>
#include <vector>

namespace fh::analytics::spc {
namespace {

// One grid for x and r, so that Φ(x + r) is a table lookup: [-kSpan, kSpan] in steps of kStep.
constexpr double kStep = 0.01;
constexpr double kSpan = 9.0;

double Phi(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
double phi(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}

// x^k for a small k >= 0, by squaring (std::pow(double, int) goes through double exponents).
double IntPow(double x, int k) {
  double result = 1;
  while (k > 0) {
    if (k & 1) result *= x;
    x *= x;
    k >>= 1;
  }
  return result;
}

// Simpson weights on an odd number of points.
double SimpsonWeight(size_t i, size_t count) {
  if (i == 0 || i + 1 == count) return 1.0 / 3.0;
  return i % 2 == 1 ? 4.0 / 3.0 : 2.0 / 3.0;
}

struct RangeMoments {
  double mean = 0;  // d2
  double sd = 0;    // d3
};

// E[R] and sd(R) for n standard normal observations. P(R <= r) = n ∫ φ(x) [Φ(x+r) -
// Φ(x)]^(n-1) dx; E[R] = ∫ P(R > r) dr and E[R²] = ∫ 2r P(R > r) dr over r >= 0.
RangeMoments ComputeRange(int n) {
  const auto points = static_cast<size_t>(std::lround(2 * kSpan / kStep)) + 1;  // odd
  // Φ on x in [-kSpan, 3 kSpan]: x + r for every x and r of the grids.
  std::vector<double> cdf(2 * points);
  std::vector<double> pdf(points);
  for (size_t i = 0; i < cdf.size(); ++i)
    cdf[i] = Phi(-kSpan + static_cast<double>(i) * kStep);
  for (size_t i = 0; i < points; ++i)
    pdf[i] = phi(-kSpan + static_cast<double>(i) * kStep);
  const auto r_points = static_cast<size_t>(std::lround(2 * kSpan / kStep)) + 1;
  double mean = 0, second = 0;
  for (size_t j = 0; j < r_points; ++j) {
    const double r = static_cast<double>(j) * kStep;
    double within = 0;  // P(R <= r)
    for (size_t i = 0; i < points; ++i) {
      const double gap = cdf[i + j] - cdf[i];
      within += SimpsonWeight(i, points) * pdf[i] * IntPow(gap, n - 1);
    }
    const double beyond = 1.0 - n * within * kStep;
    const double w = SimpsonWeight(j, r_points) * kStep;
    mean += w * beyond;
    second += w * 2.0 * r * beyond;
  }
  return {mean, std::sqrt(second - mean * mean)};
}

const RangeMoments& Range(int n) {
  static std::array<RangeMoments, kMaxRangeSubgroup + 1> cache;
  static std::array<std::once_flag, kMaxRangeSubgroup + 1> once;
  std::call_once(once[n], [n] { cache[n] = ComputeRange(n); });
  return cache[n];
}

}  // namespace

double D2(int n) {
  if (n < 2 || n > kMaxRangeSubgroup) return std::nan("");  // no range of one value
  if (n == 2) return 2.0 / std::sqrt(M_PI);                 // exact
  return Range(n).mean;
}

double D3(int n) {
  if (n < 2 || n > kMaxRangeSubgroup) return std::nan("");
  return Range(n).sd;
}

double C4(int n) {
  if (n < 2) return std::nan("");
  const double k = n - 1;
  return std::sqrt(2.0 / k) * std::exp(std::lgamma(n / 2.0) - std::lgamma(k / 2.0));
}

}  // namespace fh::analytics::spc
