// A training report as one HTML page: inline CSS and SVG, no scripts, nothing fetched.
// Metrics of every model (cross-validation and test set), ROC and precision-recall curves
// of the out-of-fold predictions (binary), predicted against actual (regression), the
// confusion matrix and feature importance of the spec's model.
#pragma once

#include <string>

#include "ml/trainer.h"

namespace fh::ml {

std::string TrainReportHtml(const TrainReport& report);

}  // namespace fh::ml
