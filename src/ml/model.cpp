#include "ml/model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/enum_names.h"
#include "ml/linear_model.h"
#include "ml/neural_model.h"
#include "ml/xgboost_model.h"

namespace fh::ml {

namespace {

constexpr EnumNames<Task, 4> kTaskNames = {{
    {Task::kBinary, "binary"},
    {Task::kMulticlass, "multiclass"},
    {Task::kRegression, "regression"},
    {Task::kAnomaly, "anomaly"},
}};

}  // namespace

Result<Task> ParseTask(std::string_view name) {
  return EnumParse(kTaskNames, "task", name);
}

std::string_view ToString(Task task) {
  return EnumToString(kTaskNames, task);
}

std::vector<double> BalancedWeights(std::span<const double> label) {
  std::map<double, double> count;
  for (double y : label)
    count[y] += 1;
  std::vector<double> w(label.size(), 1.0);
  if (count.size() < 2) return w;
  const auto n = static_cast<double>(label.size());
  const auto k = static_cast<double>(count.size());
  for (size_t i = 0; i < label.size(); ++i)
    w[i] = n / (k * count[label[i]]);
  return w;
}

void SoftmaxRows(std::span<double> margins, size_t classes) {
  for (size_t i = 0; classes > 0 && i + classes <= margins.size(); i += classes) {
    double* z = margins.data() + i;
    const double top = *std::max_element(z, z + classes);
    double sum = 0;
    for (size_t k = 0; k < classes; ++k)
      sum += z[k] = std::exp(z[k] - top);
    for (size_t k = 0; k < classes; ++k)
      z[k] /= sum;
  }
}

std::vector<int> MostProbable(std::span<const double> probabilities, size_t classes) {
  std::vector<int> out(classes == 0 ? 0 : probabilities.size() / classes);
  for (size_t i = 0; i < out.size(); ++i) {
    const double* p = probabilities.data() + i * classes;
    out[i] = static_cast<int>(std::max_element(p, p + classes) - p);
  }
  return out;
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
