// What the registry keeps of a training run: the spec's model, fitted on all rows, with what
// it was trained from (features, classes, threshold, report). `train` and the demo store it.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ml/dataset_builder.h"
#include "ml/model_registry.h"
#include "ml/trainer.h"
#include "ml/training_spec.h"

namespace fh::ml {

// `report_json` is TrainReportJson(report), kept as the model's report.
Result<RegisteredModel> ModelToRegister(const TrainingSpec& spec, const BuiltDataset& built,
                                        const TrainReport& report,
                                        const nlohmann::ordered_json& report_json);

}  // namespace fh::ml
