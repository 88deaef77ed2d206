// A trainable model: fitted on a whole data set at once, predicting a whole data set at
// once (one virtual call per batch, never per row). Binary models predict the probability
// of the positive class; multi-class models the probability of each class (K values a row,
// K = the training data's classes); regression models the value.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"

namespace fh::ml {

// kAnomaly: a detector of departures from normal operation (ml/pca), no label.
enum class Task { kBinary, kMulticlass, kRegression, kAnomaly };

Result<Task> ParseTask(std::string_view name);
std::string_view ToString(Task task);

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view kind() const = 0;  // "xgboost", "logistic", ...
  virtual Status Fit(const Dataset& train) = 0;
  virtual Result<std::vector<double>> Predict(const Dataset& data) const = 0;
  // One weight per feature (larger: more important), summing to 1; empty if the model
  // cannot say.
  virtual std::vector<double> FeatureImportance() const = 0;
  // Per row, each feature's additive contribution to the prediction's margin (log-odds for
  // binary models; for multi-class ones, the margin of the row's most probable class), then
  // the bias: cols() + 1 values a row, summing to the margin.
  virtual Result<std::vector<double>> Contributions(const Dataset& data) const = 0;
  // The fitted model as bytes for the registry; LoadModel reads them back.
  virtual Result<std::string> Save() const = 0;
  // How the last Fit went, in a sentence for reports ("stopped at epoch 29, kept 9");
  // empty when there is nothing to say.
  virtual std::string FitSummary() const { return {}; }
};

// A model saved by Model::Save, of this kind and task.
Result<std::unique_ptr<Model>> LoadModel(std::string_view kind, Task task, std::string_view bytes);

// Weights that make each class of a label (0/1, or class indices) weigh as much as any
// other in total: n / (K n_class) per row, K the classes present ("balanced"); all 1 when
// only one class is present.
std::vector<double> BalancedWeights(std::span<const double> label);

// Each row of row-major margins (K a row) into probabilities, in place: the softmax,
// computed from the row's largest margin so that no exp overflows.
void SoftmaxRows(std::span<double> margins, size_t classes);

// The most probable class of each row of row-major probabilities, K a row.
std::vector<int> MostProbable(std::span<const double> probabilities, size_t classes);

}  // namespace fh::ml
