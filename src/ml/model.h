// A trainable model: fitted on a whole data set at once, predicting a whole data set at
// once (one virtual call per batch, never per row). Binary models predict the probability
// of the positive class; regression models the value.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"

namespace fh::ml {

enum class Task { kBinary, kRegression };

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
  // binary models), then the bias: cols() + 1 values a row, summing to the margin.
  virtual Result<std::vector<double>> Contributions(const Dataset& data) const = 0;
  // The fitted model as bytes for the registry; LoadModel reads them back.
  virtual Result<std::string> Save() const = 0;
  // How the last Fit went, in a sentence for reports ("stopped at epoch 29, kept 9");
  // empty when there is nothing to say.
  virtual std::string FitSummary() const { return {}; }
};

// A model saved by Model::Save, of this kind and task.
Result<std::unique_ptr<Model>> LoadModel(std::string_view kind, Task task, std::string_view bytes);

// Weights that make each class of a binary label weigh as much as the other in total:
// n / (2 n_class) per row ("balanced"); all 1 when a class is absent.
std::vector<double> BalancedWeights(std::span<const double> label);

}  // namespace fh::ml
