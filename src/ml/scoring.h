// Scoring new data with a registered model: the model's features computed from raw columns
// (the hub's tags or a file), its prediction per row and, for each, the features that
// pushed it most (additive contributions: SHAP values for trees, coefficient x
// standardised value for linear models, integrated gradients for networks). What `predict` prints;
// the streaming connectors will call it on incoming data.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ml/column_data.h"
#include "ml/model_registry.h"

namespace fh::ml {

struct Reason {
  std::string feature;
  double value = 0;         // the feature's value (NaN: missing)
  double contribution = 0;  // to the margin (log-odds for binary models; multi-class:
                            // the predicted class's)
};

struct Prediction {
  std::string unit;
  int64_t time = 0;
  // The probability (binary: of the positive class; multi-class: of the predicted class)
  // or the value (regression).
  double score = 0;
  // Binary: score >= the model's threshold; multi-class: the class is not the normal one.
  // What raises an alarm.
  std::optional<bool> positive;
  std::string predicted_class;        // multi-class: the most probable class
  std::vector<double> probabilities;  // multi-class: of each class, in the model's order
  std::vector<Reason> reasons;        // the largest contributions first
};

// Which rows get reasons: every row, or only the positive ones (what alarms and
// `predict --positive` show).
enum class Explain { kAll, kPositive };

// Reasons as predict prints and alarms store them: JSON objects (feature, value, null when
// missing, contribution), or text ("strain_minNm +3.45, tool_wear_min +0.80").
nlohmann::ordered_json ReasonsJson(const std::vector<Reason>& reasons);
std::string ReasonsText(const std::vector<Reason>& reasons);

// The model's inputs computed from raw columns: its preprocessing as training fitted it
// (regimes, normalisation, imputation, scaling, dropped features), then its features.
Result<Dataset> ModelInputs(const RegisteredModel& model, const ColumnData& data);

// `top_reasons` 0 skips the explanations.
Result<std::vector<Prediction>> Score(const RegisteredModel& model, const ColumnData& data,
                                      size_t top_reasons, Explain explain = Explain::kAll);

}  // namespace fh::ml
