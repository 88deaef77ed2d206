// Runs the label-permutation check (label_permutation.h) for a spec: the label's columns
// are shuffled before anything is computed from them, so that the features, the learned
// preprocessing and the label itself all see the shuffled values, then the spec's model is
// cross-validated on the folds the spec asks for, without the fit on all rows.
//
// Shuffled within each unit where the split is grouped by unit (each unit keeps its labels'
// distribution, as scikit-learn's permutation_test_score does with groups), else across all
// rows. A RUL label is made of the rows' positions, not of a column: it is shuffled itself.
#pragma once

#include "ml/dataset_builder.h"
#include "ml/label_permutation.h"
#include "ml/trainer.h"

namespace fh::ml {

// `real`: the spec's model's cross-validation on the true labels (CrossValidate's first).
Result<PermutationCheck> RunPermutationCheck(const TrainingSpec& spec, const BuiltDataset& built,
                                             const ModelEvaluation& real, uint64_t seed,
                                             const ProgressFn& progress = {});

// `built`'s raw columns with the label's columns shuffled (the same permutation for all of
// them), within each unit or across all rows; exposed for its test.
ColumnData ShuffleLabelColumns(const ColumnData& raw, const std::vector<std::string>& columns,
                               bool within_units, uint64_t seed);

}  // namespace fh::ml
