// Shewhart control limits for variables and attributes, estimated from a baseline (phase
// I) and then frozen to judge new data (phase II), as Montgomery, Introduction to
// Statistical Quality Control, chapters 6 and 7, defines them:
//
//   X̄-R   X̄ ± 3 R̄/(d2 √n);    R: R̄ (1 ± 3 d3/d2), the lower limit at least 0
//   X̄-S   X̄ ± 3 S̄/(c4 √n);    S: S̄ (1 ± 3 √(1-c4²)/c4)
//   I-MR   X̄ ± 3 MR̄/d2(2);     MR: MR̄ (1 + 3 d3(2)/d2(2)), lower 0
//   p      p̄ ± 3 √(p̄(1-p̄)/n_i) per subgroup (n may vary), within [0, 1]
//   np     n p̄ ± 3 √(n p̄ (1-p̄)) (one n)
//   c      c̄ ± 3 √c̄
//   u      ū ± 3 √(ū/n_i) per subgroup
//
// `sigmas` (default 3) is the width in standard errors. Errors are InvalidArgument naming
// what is wrong (too few subgroups, unequal sizes, a negative count).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace fh::analytics::spc {

struct ControlLimits {
  double center = 0;
  double lower = 0;
  double upper = 0;
  bool Contains(double v) const { return v >= lower && v <= upper; }
};

// A chart of subgroup statistics: the location chart (X̄ or I) and the spread chart (R, S
// or MR), the within-subgroup sigma both use, and the subgroup size.
struct VariablesLimits {
  ControlLimits location;
  ControlLimits spread;
  double sigma_within = 0;
  int subgroup_size = 0;  // 1: individuals
};

using Subgroups = std::span<const std::vector<double>>;

std::vector<double> SubgroupMeans(Subgroups subgroups);
std::vector<double> SubgroupRanges(Subgroups subgroups);
std::vector<double> SubgroupSds(Subgroups subgroups);              // n - 1 in the denominator
std::vector<double> MovingRanges(std::span<const double> values);  // |x_i - x_{i-1}|, i >= 1

// Subgroups of one size n in [2, 50] (X̄-R) or n >= 2 (X̄-S); at least 2 subgroups.
Result<VariablesLimits> XbarRLimits(Subgroups subgroups, double sigmas = 3);
Result<VariablesLimits> XbarSLimits(Subgroups subgroups, double sigmas = 3);
// At least 2 values.
Result<VariablesLimits> IndividualsLimits(std::span<const double> values, double sigmas = 3);

// Phase I with out-of-control subgroups left out: limits are estimated, the subgroup
// furthest outside either chart's limits is dropped, and the limits estimated again, until
// none falls outside (at most `max_rounds` dropped). `excluded` lists the dropped
// subgroups' indices, in order.
struct RevisedLimits {
  VariablesLimits limits;
  std::vector<size_t> excluded;
};
Result<RevisedLimits> XbarRLimitsRevised(Subgroups subgroups, double sigmas = 3,
                                         int max_rounds = 10);

// Attribute charts. Per subgroup limits where sizes vary.
struct AttributeLimits {
  double center = 0;                  // p̄, n p̄, c̄ or ū
  std::vector<ControlLimits> limits;  // one per subgroup
};
Result<AttributeLimits> PLimits(std::span<const int64_t> defectives, std::span<const int64_t> sizes,
                                double sigmas = 3);
Result<AttributeLimits> NpLimits(std::span<const int64_t> defectives, int64_t size,
                                 double sigmas = 3);
Result<AttributeLimits> CLimits(std::span<const double> counts, double sigmas = 3);
Result<AttributeLimits> ULimits(std::span<const double> counts, std::span<const double> units,
                                double sigmas = 3);

}  // namespace fh::analytics::spc
