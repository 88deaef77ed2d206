#include "analytics/spc/capability.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

namespace fh::analytics::spc {
namespace {

constexpr int64_t kMinValues = 8;

struct Moments {
  double mean = 0;
  double sd = 0;  // n - 1
};

Moments MomentsOf(std::span<const double> v) {
  const double n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0;
  for (double x : v)
    ss += (x - mean) * (x - mean);
  return {mean, std::sqrt(ss / (n - 1))};
}

// Cp or Pp with its chi-square interval.
Index SpreadIndex(double width, double sigma, int64_t n, double alpha) {
  const double value = width / (6 * sigma);
  const double dof = static_cast<double>(n - 1);
  const boost::math::chi_squared chi2(dof);
  return {value,
          {value * std::sqrt(boost::math::quantile(chi2, alpha / 2) / dof),
           value * std::sqrt(boost::math::quantile(chi2, 1 - alpha / 2) / dof)}};
}

// Cpk or Ppk with Bissell's interval.
Index LocationIndex(double value, int64_t n, double alpha) {
  const double z = boost::math::quantile(boost::math::normal(), 1 - alpha / 2);
  const double nn = static_cast<double>(n);
  const double half = z * std::sqrt(1 / (9 * nn) + value * value / (2 * (nn - 1)));
  return {value, {value - half, value + half}};
}

}  // namespace

Result<NormalityTest> AndersonDarling(std::span<const double> values) {
  const auto n = static_cast<int64_t>(values.size());
  if (n < kMinValues) {
    return InvalidArgument("a normality test needs at least {} values, got {}", kMinValues, n);
  }
  const Moments m = MomentsOf(values);
  if (!(m.sd > 0)) return InvalidArgument("every value is the same: nothing to test");
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const boost::math::normal standard;
  // Φ kept off 0 and 1: a value 40 sigma out must make the statistic large, not infinite.
  auto cdf = [&](double x) {
    return std::clamp(boost::math::cdf(standard, (x - m.mean) / m.sd), 1e-300, 1 - 1e-16);
  };
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    sum += static_cast<double>(2 * i + 1) *
           (std::log(cdf(sorted[i])) + std::log(1 - cdf(sorted[n - 1 - i])));
  }
  const double nn = static_cast<double>(n);
  const double a2 = (-nn - sum / nn) * (1 + 0.75 / nn + 2.25 / (nn * nn));
  double p;
  if (a2 >= 0.6) {
    p = std::exp(1.2937 - 5.709 * a2 + 0.0186 * a2 * a2);
  } else if (a2 >= 0.34) {
    p = std::exp(0.9177 - 4.279 * a2 - 1.38 * a2 * a2);
  } else if (a2 >= 0.2) {
    p = 1 - std::exp(-8.318 + 42.796 * a2 - 59.938 * a2 * a2);
  } else {
    p = 1 - std::exp(-13.436 + 101.14 * a2 - 223.73 * a2 * a2);
  }
  p = std::clamp(p, 0.0, 1.0);
  return NormalityTest{a2, p, p >= 0.05};
}

Result<Capability> ComputeCapability(std::span<const double> values, double sigma_within,
                                     const SpecLimits& spec, double confidence_level) {
  if (!spec.lower && !spec.upper) return InvalidArgument("capability needs a spec limit");
  if (spec.lower && spec.upper && !(*spec.lower < *spec.upper)) {
    return InvalidArgument("the lower spec limit {} is not below the upper {}", *spec.lower,
                           *spec.upper);
  }
  if (!(sigma_within > 0)) {
    return InvalidArgument("the within-subgroup sigma {} is not positive", sigma_within);
  }
  if (!(confidence_level > 0 && confidence_level < 1)) {
    return InvalidArgument("confidence level {} is not in (0, 1)", confidence_level);
  }
  FH_ASSIGN_OR_RETURN(NormalityTest normality, AndersonDarling(values));
  const Moments m = MomentsOf(values);
  Capability c;
  c.n = static_cast<int64_t>(values.size());
  c.mean = m.mean;
  c.sigma_within = sigma_within;
  c.sigma_overall = m.sd;
  c.confidence_level = confidence_level;
  c.normality = normality;
  const double alpha = 1 - confidence_level;
  if (spec.upper) c.cpu = (*spec.upper - m.mean) / (3 * sigma_within);
  if (spec.lower) c.cpl = (m.mean - *spec.lower) / (3 * sigma_within);
  const double cpk = std::min(c.cpu.value_or(INFINITY), c.cpl.value_or(INFINITY));
  c.cpk = LocationIndex(cpk, c.n, alpha);
  const double ppu = spec.upper ? (*spec.upper - m.mean) / (3 * m.sd) : INFINITY;
  const double ppl = spec.lower ? (m.mean - *spec.lower) / (3 * m.sd) : INFINITY;
  c.ppk = LocationIndex(std::min(ppu, ppl), c.n, alpha);
  if (spec.lower && spec.upper) {
    const double width = *spec.upper - *spec.lower;
    c.cp = SpreadIndex(width, sigma_within, c.n, alpha);
    c.pp = SpreadIndex(width, m.sd, c.n, alpha);
    if (spec.target) {
      const double off = m.mean - *spec.target;
      c.cpm = width / (6 * std::sqrt(m.sd * m.sd + off * off));
    }
  }
  return c;
}

}  // namespace fh::analytics::spc
