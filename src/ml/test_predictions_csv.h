// A model's predictions of the spec's test set, one row each, as the CSV `train
// --predictions FILE` writes beside the report: which row (unit, time), the truth and the
// prediction — regression: the value, and the truth capped when the test set has a cap;
// binary: the probability and whether it passes the threshold; multi-class: the predicted
// class and each class's probability.
#pragma once

#include <string>

#include "ml/dataset.h"
#include "ml/trainer.h"

namespace fh::ml {

std::string TestPredictionsCsv(const TrainReport& report, const ModelEvaluation& model,
                               const Dataset& test);

}  // namespace fh::ml
