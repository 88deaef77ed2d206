// The baseline every report shows: logistic regression for binary labels, linear
// regression otherwise, both with an L2 penalty on standardised inputs. Fitted exactly by
// Newton's method (iteratively reweighted least squares): no learning rate to tune, the
// same answer on every machine.
#pragma once

#include "ml/model.h"
#include "ml/standardizer.h"

namespace fh::ml {

struct LinearOptions {
  double l2 = 1.0;       // penalty on the weights (not the intercept)
  bool balanced = true;  // binary: weigh both classes equally
  int max_iterations = 50;
  double tolerance = 1e-8;  // on the largest change of a coefficient
};

class LinearModel : public Model {
 public:
  LinearModel(Task task, LinearOptions options) : task_(task), options_(options) {}
  std::string_view kind() const override { return task_ == Task::kBinary ? "logistic" : "linear"; }
  Status Fit(const Dataset& train) override;
  Result<std::vector<double>> Predict(const Dataset& data) const override;
  std::vector<double> FeatureImportance() const override;
  // beta_j x the standardised value, then the intercept.
  Result<std::vector<double>> Contributions(const Dataset& data) const override;
  // JSON: the task, the standardiser's means and scales, the coefficients.
  Result<std::string> Save() const override;
  static Result<std::unique_ptr<LinearModel>> Load(Task task, std::string_view bytes);
  // Intercept first, then one weight per standardised feature.
  const std::vector<double>& coefficients() const { return beta_; }

 private:
  // Fitted, and `data` has the fitted model's features.
  Status CheckInput(const Dataset& data) const;
  Task task_;
  LinearOptions options_;
  Standardizer standardizer_;
  std::vector<double> beta_;
};

// Solves A x = b for a symmetric positive definite A (n x n, row-major) by Cholesky;
// false if A is not positive definite. Exposed for tests.
bool SolveSpd(std::vector<double> a, std::vector<double>& b, size_t n);

}  // namespace fh::ml
