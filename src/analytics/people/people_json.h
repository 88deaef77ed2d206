// The skills matrix and the skill gaps as JSON: what `factoryhub people matrix|gaps --json`
// print and GET /api/v1/people/matrix|gaps answer (api/openapi.yaml describes the shape).
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/people/skill_gaps.h"

namespace fh::analytics::people {

// `mask`: people's names and certificate numbers masked (common/personal_mask.h), as the
// API always answers them; the CLI shows them with --unmasked.
nlohmann::ordered_json SkillsMatrixJson(const SkillsMatrix& matrix, bool mask);
nlohmann::ordered_json SkillGapsJson(const SkillGaps& gaps, bool mask);

}  // namespace fh::analytics::people
