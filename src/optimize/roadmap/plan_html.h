// A planned roadmap as a self-contained page (`factoryhub plan --html FILE`): the Gantt
// chart by quarter, each measure's justification from the data, spend against the budget,
// the Pareto front with the chosen plan, and how far each weight can move. Inline CSS and
// SVG, no scripts, nothing fetched.
#pragma once

#include <string>

#include "optimize/roadmap/roadmap_plan.h"

namespace fh::optimize {

std::string RoadmapPlanHtml(const RoadmapPlan& plan);

}  // namespace fh::optimize
