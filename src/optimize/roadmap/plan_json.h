// A planned roadmap as JSON: what `factoryhub plan --json` prints and GET /api/v1/plan
// answers (src/api/openapi.yaml describes it).
#pragma once

#include <nlohmann/json.hpp>

#include "optimize/roadmap/roadmap_plan.h"

namespace fh::optimize {

nlohmann::ordered_json RoadmapPlanJson(const RoadmapPlan& plan);

// The weights as JSON by criterion name.
nlohmann::ordered_json CriteriaJson(const CriteriaValues& values);

}  // namespace fh::optimize
