// Cross-validated training: every model of a spec (the chosen one and the linear baseline)
// is fitted on each fold's training rows and scored on its validation rows, which it never
// saw; binary models get their decision threshold from inner folds of the training rows
// only; multi-class models predict each row's most probable class. Same spec, same data,
// same seed: same metrics.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ml/bootstrap.h"
#include "ml/dataset.h"
#include "ml/label_permutation.h"
#include "ml/metrics.h"
#include "ml/model.h"
#include "ml/training_spec.h"

namespace fh::ml {

struct FoldScores {
  // binary; multi-class: one-vs-rest AUCs and precision, recall, F1, macro-averaged
  double roc_auc = 0, pr_auc = 0, f1 = 0, precision = 0, recall = 0, threshold = 0.5;
  Confusion confusion;
  double brier = 0;  // binary: of the probabilities
  // multi-class
  double accuracy = 0, log_loss = 0, balanced_accuracy = 0, kappa = 0;
  std::vector<int64_t> matrix;  // classes x classes, row = actual, column = predicted
  // regression
  double rmse = 0, mae = 0, phm08 = 0;
  // regression test sets with a cap (TestSpec::cap): the same against the capped truth
  std::optional<double> cap;
  double capped_rmse = 0, capped_mae = 0, capped_phm08 = 0;
  size_t rows = 0;
};

// A task's scalar scores as the report names them ("rmse", "roc_auc", ...); with `capped`
// (a RUL test set with a cap) also "capped_rmse", "capped_mae", "capped_phm08".
struct ScoreField {
  const char* name;
  double FoldScores::*value;
};
std::vector<ScoreField> ScoreFields(Task task, bool capped = false);

// What one fold's fit learnt and from which rows: the evidence that nothing it learnt saw
// the rows it was scored on.
struct FoldFit {
  size_t train_rows = 0, train_units = 0;        // what every step below was fitted on
  size_t validate_rows = 0, validate_units = 0;  // what the fold was scored on
  size_t shared_units = 0;  // units with rows on both sides (0 where the split is by unit)
  std::vector<std::string> held_out;  // the validation rows' units, sorted
  // Each learned step, a sentence: the preprocessing's, the binary threshold's (tuned on
  // inner folds of the training rows) and the model's own (Model::FitSummary).
  std::vector<std::string> steps;
};

// "16504 rows of 80 units; scored on 4127 rows of 20 other units (none shared)".
std::string DescribeFoldRows(const FoldFit& fit);

struct ModelEvaluation {
  std::string kind;
  std::vector<FoldScores> folds;
  std::vector<FoldFit> fits;  // per fold, as `folds`
  FoldScores mean;            // per-fold means; confusion (matrix) summed over the folds
  // Each score's sample standard deviation across the folds, by ScoreField name.
  std::vector<std::pair<std::string, double>> spread;
  // Each row's prediction by the model that did not see it (multi-class: K probabilities).
  std::vector<double> out_of_fold;
  std::vector<double> importance;  // of the model fitted on all rows, per feature
  double seconds = 0;              // wall time of the cross-validation (all fits)
  // The model fitted on all rows, and (binary) its threshold: F1-best on the out-of-fold
  // predictions of all rows.
  std::shared_ptr<Model> fitted;
  std::string fit_summary;  // the fitted model's Model::FitSummary
  std::optional<double> threshold;
  std::optional<FoldScores> test;  // the fitted model on the spec's test set
  // Each test score's bootstrap interval (TrainReport::bootstrap), by ScoreField name.
  std::vector<std::pair<std::string, Interval>> test_interval;
  std::vector<double> test_predictions;
};

struct TrainReport {
  std::string name;
  Task task = Task::kBinary;
  size_t rows = 0;
  size_t units = 0;
  size_t positives = 0;              // binary
  std::vector<std::string> classes;  // multi-class: the class names, by index
  std::vector<std::string> features;
  std::string label;
  SplitSpec split;
  std::vector<ModelEvaluation> models;  // the spec's model first, then the baseline
  // The learned preprocessing's steps, as the kept model's fit learnt them (each fold's
  // own were fitted on its training rows): Preprocessing::Describe, set by the caller.
  std::vector<std::string> preprocessing;
  size_t test_rows = 0;   // 0: no test set
  size_t test_units = 0;  // what the bootstrap resamples (rows when they have no units)
  BootstrapOptions bootstrap;
  std::vector<double> test_labels;
  std::vector<double> label_values;  // for plots
  // The label-permutation check, when the spec or the command asked for it: set by the
  // caller (label_permutation_check.h).
  std::optional<PermutationCheck> permutation;
};

// Where a cross-validation is, for a progress line: a model's fold begun or done, or its
// fit on all rows begun. Folds run one after another: each fit already uses every core
// (XGBoost's nthread, libtorch's threads), so folds side by side would only share them.
struct FoldProgress {
  std::string_view kind;  // the model
  int fold = 0;           // 1..folds; 0: the fit on all rows
  int folds = 0;
  bool done = false;
  double seconds = 0;  // done: the fold's wall time
};
using ProgressFn = std::function<void(const FoldProgress&)>;

// Every row of the data set, preprocessed by what `train_rows` teach (a fold's training
// rows): how a spec's learned preprocessing stays inside the folds (dataset_builder.h's
// FoldPreparation). Row i of its answer is row i of the data cross-validated.
using FoldPreparer = std::function<Result<PreparedFold>(std::span<const size_t> train_rows)>;

// A model as the spec describes it (kind "xgboost", "logistic" or "linear").
Result<std::unique_ptr<Model>> MakeModel(const TrainingSpec& spec, std::string_view kind);

// With `test`, each model fitted on all of `data` is also scored on it once. `progress`, when
// given, hears of every fold as it begins and ends. With `prepare`, each fold (and each
// inner fold that tunes a threshold) trains and scores on its answer for the fold's training
// rows; `data` (preprocessed by all rows) is what the kept model is fitted on.
Result<TrainReport> CrossValidate(const Dataset& data, const TrainingSpec& spec,
                                  const Dataset* test = nullptr, const ProgressFn& progress = {},
                                  const FoldPreparer& prepare = {});

// The spec's model cross-validated as CrossValidate does, without the fit on all rows:
// its fold scores, their means and spread, and the out-of-fold predictions.
Result<ModelEvaluation> CrossValidateOnly(const Dataset& data, const TrainingSpec& spec,
                                          const ProgressFn& progress = {},
                                          const FoldPreparer& prepare = {});

}  // namespace fh::ml
