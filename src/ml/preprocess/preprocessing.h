// A spec's learned preprocessing as one thing: the column steps (column_stage.h), the
// features computed on their output (ComputeDataset), then the feature steps
// (feature_stage.h). Fitted on some rows (a fold's training rows; all rows for the model
// that is kept), stored with the model version as JSON, applied identically by train (to
// held-out rows and the test set), predict and serve.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/column_data.h"
#include "ml/dataset.h"
#include "ml/preprocess/column_stage.h"
#include "ml/preprocess/feature_stage.h"
#include "ml/training_spec.h"

namespace fh::ml {

struct Preprocessing {
  std::optional<ColumnStage> columns;
  std::optional<FeatureStage> features;

  bool empty() const { return !columns && !features; }
  // The raw columns to a model's data set: the column steps, the features (`label` null when
  // scoring), the feature steps.
  Result<Dataset> Apply(ColumnData raw, const std::vector<FeatureSpec>& specs,
                        const LabelSpec* label) const;

  // What each step learnt: stored with the model, shown in the report. "{}" when empty.
  nlohmann::ordered_json ToJson() const;
  // Each step and what it learnt, a sentence each, for reports.
  std::vector<std::string> Describe() const;
  static Result<Preprocessing> FromJson(std::string_view json);
};

struct PreparedData {
  Dataset data;  // every row, preprocessed by what `train_rows` taught
  Preprocessing fitted;
};

// Fits the spec's preprocessing on `train_rows` of `raw` (rows numbered as ComputeDataset
// numbers them) and applies it to every row. With nothing to learn, ComputeDataset alone.
Result<PreparedData> FitPreprocessing(const TrainingSpec& spec, const ColumnData& raw,
                                      const std::vector<FeatureSpec>& features,
                                      std::span<const size_t> train_rows);

// The number of rows ComputeDataset makes of `raw`.
size_t RowCount(const ColumnData& raw);

}  // namespace fh::ml
