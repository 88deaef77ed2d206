// EWMA and CUSUM over a study's subgroups (the individual values or the subgroup means),
// against the phase-I center (or a given target) and the within-subgroup sigma the
// study estimated: the charts that catch a small sustained shift the Shewhart chart misses.
#pragma once

#include <optional>

#include "analytics/spc/spc_study.h"
#include "analytics/spc/time_weighted.h"

namespace fh::analytics::spc {

struct TimeWeightedBasis {
  double target = 0;  // μ0
  double sigma = 0;   // of one plotted value: σ within / √n
};

// μ0 is `target` or the phase-I center; σ is `sigma` (a known σ of one value) or the
// study's sigma within, each over √(subgroup size).
Result<TimeWeightedBasis> BasisOf(const SpcStudy& study, std::optional<double> target,
                                  std::optional<double> sigma = {});

Result<EwmaChart> EwmaOfStudy(const SpcStudy& study, double lambda, double width,
                              const TimeWeightedBasis& basis);
Result<CusumChart> CusumOfStudy(const SpcStudy& study, double k, double h,
                                const TimeWeightedBasis& basis);

}  // namespace fh::analytics::spc
