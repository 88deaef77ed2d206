#include "ml/linear_model.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "common/json_text.h"

namespace fh::ml {

bool SolveSpd(std::vector<double> a, std::vector<double>& b, size_t n) {
  // A = L L^T, L in the lower triangle of a.
  for (size_t j = 0; j < n; ++j) {
    double diag = a[j * n + j];
    for (size_t k = 0; k < j; ++k)
      diag -= a[j * n + k] * a[j * n + k];
    if (!(diag > 0)) return false;
    const double l = std::sqrt(diag);
    a[j * n + j] = l;
    for (size_t i = j + 1; i < n; ++i) {
      double v = a[i * n + j];
      for (size_t k = 0; k < j; ++k)
        v -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = v / l;
    }
  }
  for (size_t i = 0; i < n; ++i) {  // L y = b
    double v = b[i];
    for (size_t k = 0; k < i; ++k)
      v -= a[i * n + k] * b[k];
    b[i] = v / a[i * n + i];
  }
  for (size_t i = n; i-- > 0;) {  // L^T x = y
    double v = b[i];
    for (size_t k = i + 1; k < n; ++k)
      v -= a[k * n + i] * b[k];
    b[i] = v / a[i * n + i];
  }
  return true;
}

namespace {

double Sigmoid(double z) {
  return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

}  // namespace

std::string LinearModel::FitSummary() const {
  if (standardizer_.mean().empty()) return {};
  return fmt::format("inputs standardised by the training rows' means and deviations, L2 {:g}",
                     options_.l2);
}

Status LinearModel::Fit(const Dataset& train) {
  if (train.rows() == 0) return InvalidArgument("{}: no training rows", kind());
  standardizer_.Fit(train);
  const std::vector<double> x = standardizer_.Transform(train);
  const size_t d = train.cols() + 1;  // with the intercept
  const size_t n = train.rows();
  const std::vector<double> w = task_ != Task::kRegression && options_.balanced
                                    ? BalancedWeights(train.y)
                                    : std::vector<double>(n, 1.0);
  classes_ = 1;
  if (task_ == Task::kMulticlass) {
    classes_ = train.classes.size();
    if (!FitMultinomial(x, d - 1, train.y, w, classes_, options_, beta_)) {
      beta_.clear();
      return InvalidArgument("{}: the training data is degenerate (no unique fit)", kind());
    }
    return Status::Ok();
  }
  beta_.assign(d, 0);
  std::vector<double> hessian(d * d), gradient(d), xi(d);
  const int iterations = task_ == Task::kBinary ? options_.max_iterations : 1;
  for (int it = 0; it < iterations; ++it) {
    std::fill(hessian.begin(), hessian.end(), 0);
    std::fill(gradient.begin(), gradient.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      xi[0] = 1;
      std::copy(x.begin() + static_cast<ptrdiff_t>(i * (d - 1)),
                x.begin() + static_cast<ptrdiff_t>((i + 1) * (d - 1)), xi.begin() + 1);
      double z = 0;
      for (size_t j = 0; j < d; ++j)
        z += beta_[j] * xi[j];
      // Binary: the log-likelihood's gradient and Hessian. Regression (one step from 0 is
      // the exact least-squares solution): the normal equations.
      double residual, curvature;
      if (task_ == Task::kBinary) {
        const double p = Sigmoid(z);
        residual = (train.y[i] != 0 ? 1.0 : 0.0) - p;
        curvature = std::max(p * (1 - p), 1e-10);
      } else {
        residual = train.y[i] - z;
        curvature = 1;
      }
      for (size_t j = 0; j < d; ++j) {
        gradient[j] += w[i] * residual * xi[j];
        for (size_t k = 0; k <= j; ++k)
          hessian[j * d + k] += w[i] * curvature * xi[j] * xi[k];
      }
    }
    for (size_t j = 0; j < d; ++j) {
      for (size_t k = 0; k < j; ++k)
        hessian[k * d + j] = hessian[j * d + k];
    }
    for (size_t j = 1; j < d; ++j) {  // the penalty spares the intercept
      hessian[j * d + j] += options_.l2;
      gradient[j] -= options_.l2 * beta_[j];
    }
    if (!SolveSpd(hessian, gradient, d)) {
      return InvalidArgument("{}: the training data is degenerate (no unique fit)", kind());
    }
    double change = 0;
    for (size_t j = 0; j < d; ++j) {
      beta_[j] += gradient[j];
      change = std::max(change, std::abs(gradient[j]));
    }
    if (change < options_.tolerance) break;
  }
  return Status::Ok();
}

Status LinearModel::CheckInput(const Dataset& data) const {
  if (beta_.empty()) return FailedPrecondition("{}: not fitted", kind());
  if (data.cols() + 1 != width()) {
    return InvalidArgument("{}: {} features given, the model has {}", kind(), data.cols(),
                           width() - 1);
  }
  return Status::Ok();
}

std::vector<double> LinearModel::Margins(const Dataset& data) const {
  const std::vector<double> x = standardizer_.Transform(data);
  const size_t d = data.cols();
  std::vector<double> out(data.rows() * classes_);
  for (size_t i = 0; i < data.rows(); ++i) {
    for (size_t k = 0; k < classes_; ++k) {
      const double* b = beta_.data() + k * (d + 1);
      double z = b[0];
      for (size_t j = 0; j < d; ++j)
        z += b[j + 1] * x[i * d + j];
      out[i * classes_ + k] = z;
    }
  }
  return out;
}

Result<std::vector<double>> LinearModel::Predict(const Dataset& data) const {
  FH_RETURN_IF_ERROR(CheckInput(data));
  std::vector<double> out = Margins(data);
  if (task_ == Task::kBinary) {
    for (double& z : out)
      z = Sigmoid(z);
  } else if (task_ == Task::kMulticlass) {
    SoftmaxRows(out, classes_);
  }
  return out;
}

std::vector<double> LinearModel::FeatureImportance() const {
  // |weight| of a standardised feature: its effect per standard deviation (multi-class:
  // the mean over the classes).
  const size_t d = width() - 1;
  std::vector<double> out(d, 0);
  if (beta_.empty()) return out;
  double sum = 0;
  for (size_t k = 0; k < classes_; ++k) {
    for (size_t j = 0; j < d; ++j) {
      out[j] += std::abs(beta_[k * (d + 1) + j + 1]);
      sum += std::abs(beta_[k * (d + 1) + j + 1]);
    }
  }
  if (sum > 0) {
    for (double& v : out)
      v /= sum;
  }
  return out;
}

Result<std::vector<double>> LinearModel::Contributions(const Dataset& data) const {
  FH_RETURN_IF_ERROR(CheckInput(data));
  const std::vector<double> x = standardizer_.Transform(data);
  const std::vector<int> best = MostProbable(Margins(data), classes_);
  const size_t d = data.cols();
  std::vector<double> out;
  out.reserve(data.rows() * (d + 1));
  for (size_t i = 0; i < data.rows(); ++i) {
    const double* b = beta_.data() + static_cast<size_t>(best[i]) * (d + 1);
    for (size_t j = 0; j < d; ++j)
      out.push_back(b[j + 1] * x[i * d + j]);
    out.push_back(b[0]);
  }
  return out;
}

Result<std::string> LinearModel::Save() const {
  if (beta_.empty()) return FailedPrecondition("{}: not fitted", kind());
  nlohmann::json j = {{"task", std::string(ToString(task_))},
                      {"mean", standardizer_.mean()},
                      {"scale", standardizer_.scale()},
                      {"coefficients", beta_},
                      {"classes", classes_}};
  return JsonText(j);
}

Result<std::unique_ptr<LinearModel>> LinearModel::Load(Task task, std::string_view bytes) {
  const nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("coefficients") || !j.contains("mean") ||
      !j.contains("scale") || !j["coefficients"].is_array() || !j["mean"].is_array() ||
      !j["scale"].is_array()) {
    return Corruption("linear model: the stored model is damaged");
  }
  auto m = std::make_unique<LinearModel>(task, LinearOptions{});
  try {
    m->standardizer_.Set(j["mean"].get<std::vector<double>>(),
                         j["scale"].get<std::vector<double>>());
    m->beta_ = j["coefficients"].get<std::vector<double>>();
    m->classes_ = j.value("classes", size_t{1});
  } catch (const nlohmann::json::exception&) {
    return Corruption("linear model: the stored model is damaged");
  }
  if (m->classes_ < 1 || m->beta_.size() != (m->standardizer_.mean().size() + 1) * m->classes_ ||
      m->standardizer_.scale().size() != m->standardizer_.mean().size()) {
    return Corruption("linear model: the stored model is damaged");
  }
  return m;
}

}  // namespace fh::ml
