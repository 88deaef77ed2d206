// A registered model as JSON, one shape for `factoryhub model list|show --json` and the API's
// /api/v1/models: its summary (with the headline cross-validated metrics of its kind), and
// in full its features, training report (metrics per fold, importance, ROC and PR curves; what
// its training data covered, without the sample rows only set-point searches read) and spec.
#pragma once

#include <nlohmann/json.hpp>

#include "ml/model_registry.h"

namespace fh::ml {

nlohmann::ordered_json ModelSummaryJson(const RegisteredModel& m);
nlohmann::ordered_json ModelDetailJson(const RegisteredModel& m);

}  // namespace fh::ml
