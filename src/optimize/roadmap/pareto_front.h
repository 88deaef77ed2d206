// The trade-off between efficiency, quality and cost, by the ε-constraint method: for a
// grid of required efficiency and quality totals (levels from none to the most each can
// reach alone), the cheapest roadmap that reaches both; the points no other point beats on
// all three are the front. A person sees what each OEE point costs, not one number.
#pragma once

#include <vector>

#include "common/status.h"
#include "optimize/roadmap/milp_solver.h"
#include "optimize/roadmap/roadmap_problem.h"

namespace fh::optimize {

struct FrontPoint {
  CriteriaValues totals{};
  double cost = 0;  // technology + talent spend in the horizon
  Schedule schedule;
};

// `levels` per benefit (≥ 2); each solve gets the options' time limit divided among them.
Result<std::vector<FrontPoint>> ParetoFront(const RoadmapProblem& p, int levels,
                                            const MilpOptions& options);

}  // namespace fh::optimize
