// Neural networks as models (src/ml/network.h; libtorch in a plugin): the source document's
// MLP (dense 128 -> 64 -> 1, ReLU, Adam 0.001, binary cross-entropy) and, for sequences
// of a unit's recent rows, a 1-D CNN or an LSTM. Inputs are standardised on the training
// rows; regression targets too. Multi-class networks have a logit per class and a softmax.
// Early stopping holds out a share of the training rows (whole units when rows have units,
// so that a unit's near-identical rows do not sit on both sides; each class in proportion
// for class labels).
#pragma once

#include <memory>

#include "ml/model.h"
#include "ml/network.h"
#include "ml/standardizer.h"

namespace fh::ml {

struct NeuralOptions {
  NetworkConfig network;       // inputs, binary and classes are set by Fit from the data and task
  double validation = 0.1;     // share held out for early stopping; 0: none, all epochs run
  bool balanced = false;       // classification: weigh every class equally
  int attribution_steps = 64;  // integrated gradients: points per path
};

class NeuralModel : public Model {
 public:
  NeuralModel(Task task, NeuralOptions options);
  ~NeuralModel() override;
  std::string_view kind() const override { return options_.network.kind; }
  Status Fit(const Dataset& train) override;
  Result<std::vector<double>> Predict(const Dataset& data) const override;
  // Mean absolute integrated gradients over (up to 512 of) the training rows, normalised.
  std::vector<double> FeatureImportance() const override { return importance_; }
  // Integrated gradients from the training mean to each row (the margin: log-odds for
  // binary, the most probable class's logit for multi-class), then the margin at the mean
  // as the bias. They sum to the margin up to the
  // path's discretisation (64 midpoints).
  Result<std::vector<double>> Contributions(const Dataset& data) const override;
  // A JSON line (the network's configuration, the standardiser, the target's scale, the
  // importance), then libtorch's archive of the weights.
  Result<std::string> Save() const override;
  static Result<std::unique_ptr<NeuralModel>> Load(Task task, std::string_view bytes);

  const NetworkFitLog& fit_log() const { return log_; }
  std::string FitSummary() const override;

 private:
  Result<std::vector<float>> Inputs(const Dataset& data) const;
  // Integrated gradients toward each row's most probable class (the only output, unless
  // multi-class); `targets` gets those classes.
  Result<std::vector<float>> Attribute(const std::vector<float>& x,
                                       std::vector<int64_t>* targets = nullptr) const;
  size_t outputs() const { return std::max(options_.network.classes, 1); }
  // importance_ from the standardised training rows `z`.
  Status FitImportance(const std::vector<double>& z, size_t rows);
  Task task_;
  NeuralOptions options_;
  Standardizer standardizer_;
  double y_mean_ = 0, y_scale_ = 1;  // regression targets are standardised too
  std::unique_ptr<Network> network_;
  std::vector<double> importance_;
  NetworkFitLog log_;
};

}  // namespace fh::ml
