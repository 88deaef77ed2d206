// Computes a spec's data set from raw columns (column_data.h): the features and, when
// training, the label, per row. Errors name the spec's field: an unknown column, a label
// missing on a row.
#pragma once

#include <functional>
#include <span>

#include "common/status.h"
#include "ml/column_data.h"
#include "ml/dataset.h"
#include "ml/preprocess/preprocessing.h"
#include "ml/training_spec.h"
#include "store/storage.h"

namespace fh::ml {

// The spec's features, or, when it lists none, every column but the label and the
// excluded ones (sorted). Checked against the columns.
Result<std::vector<FeatureSpec>> ResolveFeatures(const TrainingSpec& spec, const ColumnData& data);

// One row per unit and time. With `label` null (scoring new data) y is NaN; else a missing
// label is an error.
Result<Dataset> ComputeDataset(const ColumnData& data, const std::vector<FeatureSpec>& features,
                               const LabelSpec* label);

struct BuiltDataset {
  Dataset data;                       // preprocessed as all rows taught (the kept model's)
  std::vector<FeatureSpec> features;  // resolved
  ColumnData raw;                     // as read: what each fold's preprocessing is fitted on
  Preprocessing preprocessing;        // fitted on all rows
  std::vector<std::string> columns;   // every column the pattern found
  std::vector<std::string> tags;      // the tags read
};

// Training data: the spec's tags from the hub, its features and its label, preprocessed as
// the spec says with what all rows teach.
Result<BuiltDataset> BuildDataset(Storage& storage, const TrainingSpec& spec);
// The same from columns already read (`columns.tags`: the tags they came from).
Result<BuiltDataset> BuildDatasetFromColumns(const TrainingSpec& spec, ColumnData columns);

// The columns the spec's label is made of: its column, or the columns its classes'
// conditions read; none for a RUL label (made of the rows' positions).
Result<std::vector<std::string>> LabelColumns(const TrainingSpec& spec);

// What cross-validation calls for each fold when the spec learns preprocessing: every row,
// preprocessed by what `train_rows` teach (preprocess/preprocessing.h). Empty when there is
// nothing to learn: `built.data` serves every fold. `built` must outlive it.
std::function<Result<PreparedFold>(std::span<const size_t>)> FoldPreparation(
    const TrainingSpec& spec, const BuiltDataset& built);

// Multi-class labels as class indices, d.classes their names: derived labels already are;
// a column's values are the listed classes' indices, or, with none listed, its distinct
// values (`known`: the training data's, which a test set must keep to).
Status AssignClasses(const LabelSpec& label, const std::vector<std::string>& known, Dataset& d);

// The spec's test set (spec.test), with the training's resolved features, preprocessing and
// classes: a
// RUL label is the unit's true remaining rows after its last row plus the rows after this
// one (not capped: the truth); with rows: last, only each unit's last row.
Result<Dataset> BuildTestDataset(Storage& storage, const TrainingSpec& spec,
                                 const BuiltDataset& train);

}  // namespace fh::ml
