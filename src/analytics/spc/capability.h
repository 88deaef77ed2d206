// Process capability: how the spread of a characteristic compares with its specification.
//
//   Cp  = (USL - LSL) / 6σ_within       Pp  = (USL - LSL) / 6σ_overall
//   Cpk = min(USL - μ, μ - LSL) / 3σ_within   Ppk likewise with σ_overall
//   Cpm = (USL - LSL) / 6 √(σ_overall² + (μ - T)²)   (with a target T)
//
// σ_within is the short-term sigma of a control chart (R̄/d2, S̄/c4 or MR̄/d2), σ_overall
// the sample standard deviation of every value. One-sided specifications give only the
// one-sided indices (Cpk = Cpu or Cpl). Confidence intervals: Cp and Pp from the
// chi-square distribution with n - 1 degrees of freedom, Cpk and Ppk by Bissell's normal
// approximation (Montgomery 8.3). Capability is claimed only of normal data: the
// Anderson-Darling test is reported with it, and `normal` says whether it passed at 5%.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/status.h"

namespace fh::analytics::spc {

struct SpecLimits {
  std::optional<double> lower;
  std::optional<double> upper;
  std::optional<double> target;
};

struct Interval {
  double low = 0;
  double high = 0;
};

struct Index {
  double value = 0;
  Interval confidence;
};

struct NormalityTest {
  double a2 = 0;        // Anderson-Darling statistic, adjusted for n (A*²)
  double p_value = 0;   // D'Agostino and Stephens' approximation
  bool normal = false;  // p >= 0.05
};

struct Capability {
  int64_t n = 0;
  double mean = 0;
  double sigma_within = 0;
  double sigma_overall = 0;
  std::optional<Index> cp, cpk, pp, ppk;
  std::optional<double> cpl, cpu, cpm;
  double confidence_level = 0.95;
  NormalityTest normality;
};

// `values`: every measurement; `sigma_within`: from the control chart. At least 8 values
// and one spec limit.
Result<Capability> ComputeCapability(std::span<const double> values, double sigma_within,
                                     const SpecLimits& spec, double confidence_level = 0.95);

// At least 8 values.
Result<NormalityTest> AndersonDarling(std::span<const double> values);

}  // namespace fh::analytics::spc
