// How far each weight can move before the weighted-sum plan changes. Moving weight i to λ
// scales the others by (1 − λ)/(1 − wᵢ), so they keep their proportions and all sum to 1.
// For a fixed plan F is linear in λ, so the plan stays optimal on an interval; its ends are
// found exactly by the parametric method: solve at the end of the range; if another plan
// wins there, the current plan's and that plan's lines cross at a λ in between — solve
// there, and so on until the plan itself is optimal at the crossing.
#pragma once

#include <vector>

#include "common/status.h"
#include "optimize/roadmap/milp_solver.h"
#include "optimize/roadmap/roadmap_problem.h"

namespace fh::optimize {

struct WeightInterval {
  double low = 0, high = 1;
  Schedule below, above;  // the plans that take over outside (empty when none does)
};

// The interval of weight `criterion` around `weights[criterion]` where `plan` stays optimal.
Result<WeightInterval> WeightStability(const RoadmapProblem& p, const CriteriaValues& weights,
                                       const CriteriaValues& scales, size_t criterion,
                                       const Schedule& plan, const MilpOptions& options);

// The weights with weight `criterion` moved to `lambda`, the others in proportion.
CriteriaValues MoveWeight(const CriteriaValues& weights, size_t criterion, double lambda);

}  // namespace fh::optimize
