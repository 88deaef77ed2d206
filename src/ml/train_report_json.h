// A training report as JSON: what `factoryhub train --json` prints and what the model
// registry keeps with a model.
#pragma once

#include <nlohmann/json.hpp>

#include "ml/trainer.h"

namespace fh::ml {

nlohmann::ordered_json TrainReportJson(const TrainReport& report);

}  // namespace fh::ml
