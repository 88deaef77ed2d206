#include "analytics/spc/time_weighted_study.h"

#include <cmath>

namespace fh::analytics::spc {
namespace {

std::vector<double> Locations(const SpcStudy& study) {
  std::vector<double> v;
  v.reserve(study.points.size());
  for (const SubgroupPoint& p : study.points)
    v.push_back(p.location);
  return v;
}

}  // namespace

Result<TimeWeightedBasis> BasisOf(const SpcStudy& study, std::optional<double> target,
                                  std::optional<double> sigma) {
  const double n = static_cast<double>(std::max(study.limits.subgroup_size, 1));
  TimeWeightedBasis b;
  b.target = target.value_or(study.limits.location.center);
  b.sigma = sigma.value_or(study.limits.sigma_within) / std::sqrt(n);
  if (!(b.sigma > 0) || !std::isfinite(b.sigma)) {
    return InvalidArgument("the phase-I values do not vary (sigma within is {}): no EWMA or CUSUM",
                           study.limits.sigma_within);
  }
  return b;
}

Result<EwmaChart> EwmaOfStudy(const SpcStudy& study, double lambda, double width,
                              const TimeWeightedBasis& b) {
  const std::vector<double> values = Locations(study);
  return Ewma(values, {.lambda = lambda, .width = width, .target = b.target, .sigma = b.sigma});
}

Result<CusumChart> CusumOfStudy(const SpcStudy& study, double k, double h,
                                const TimeWeightedBasis& b) {
  const std::vector<double> values = Locations(study);
  return Cusum(values, {.k = k, .h = h, .target = b.target, .sigma = b.sigma});
}

}  // namespace fh::analytics::spc
