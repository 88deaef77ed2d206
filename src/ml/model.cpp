#include "ml/model.h"

#include "ml/linear_model.h"
#include "ml/neural_model.h"
#include "ml/xgboost_model.h"

namespace fh::ml {

Result<Task> ParseTask(std::string_view name) {
  if (name == "binary") return Task::kBinary;
  if (name == "regression") return Task::kRegression;
  return InvalidArgument("unknown task '{}' (expected binary or regression)", name);
}

std::string_view ToString(Task task) {
  return task == Task::kBinary ? "binary" : "regression";
}

std::vector<double> BalancedWeights(std::span<const double> label) {
  double positive = 0;
  for (double y : label)
    positive += y != 0 ? 1 : 0;
  const auto n = static_cast<double>(label.size());
  const double negative = n - positive;
  std::vector<double> w(label.size(), 1.0);
  if (positive == 0 || negative == 0) return w;
  for (size_t i = 0; i < label.size(); ++i) {
    w[i] = n / (2 * (label[i] != 0 ? positive : negative));
  }
  return w;
}

Result<std::unique_ptr<Model>> LoadModel(std::string_view kind, Task task, std::string_view bytes) {
  if (kind == "xgboost") {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<XgboostModel> m, XgboostModel::Load(task, bytes));
    return std::unique_ptr<Model>(std::move(m));
  }
  if (kind == "logistic" || kind == "linear") {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<LinearModel> m, LinearModel::Load(task, bytes));
    return std::unique_ptr<Model>(std::move(m));
  }
  if (kind == "mlp" || kind == "cnn" || kind == "lstm") {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<NeuralModel> m, NeuralModel::Load(task, bytes));
    return std::unique_ptr<Model>(std::move(m));
  }
  return InvalidArgument("no model kind '{}'", kind);
}

}  // namespace fh::ml
