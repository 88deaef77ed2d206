// The baseline every report shows: logistic regression for binary labels (multinomial,
// softmax over the classes, for multi-class ones), linear regression otherwise, all with
// an L2 penalty on standardised inputs. Fitted exactly by Newton's method (iteratively
// reweighted least squares): no learning rate to tune, the same answer on every machine.
#pragma once

#include "ml/model.h"
#include "ml/standardizer.h"

namespace fh::ml {

struct LinearOptions {
  double l2 = 1.0;       // penalty on the weights (not the intercept)
  bool balanced = true;  // classification: weigh every class equally
  int max_iterations = 50;
  double tolerance = 1e-8;  // on the largest change of a coefficient
};

class LinearModel : public Model {
 public:
  LinearModel(Task task, LinearOptions options) : task_(task), options_(options) {}
  std::string_view kind() const override {
    return task_ == Task::kRegression ? "linear" : "logistic";
  }
  Status Fit(const Dataset& train) override;
  Result<std::vector<double>> Predict(const Dataset& data) const override;
  std::vector<double> FeatureImportance() const override;
  // beta_j x the standardised value, then the intercept (multi-class: the most probable
  // class's).
  Result<std::vector<double>> Contributions(const Dataset& data) const override;
  // JSON: the task, the standardiser's means and scales, the coefficients.
  Result<std::string> Save() const override;
  std::string FitSummary() const override;
  static Result<std::unique_ptr<LinearModel>> Load(Task task, std::string_view bytes);
  // Intercept first, then one weight per standardised feature; multi-class: so for each
  // class in turn.
  const std::vector<double>& coefficients() const { return beta_; }

 private:
  // Fitted, and `data` has the fitted model's features.
  Status CheckInput(const Dataset& data) const;
  // Per row, each class's margin (the linear score before the sigmoid or softmax).
  std::vector<double> Margins(const Dataset& data) const;
  size_t width() const { return standardizer_.mean().size() + 1; }
  Task task_;
  LinearOptions options_;
  Standardizer standardizer_;
  std::vector<double> beta_;
  size_t classes_ = 1;  // rows of coefficients: K for multi-class, else 1
};

// Multinomial logistic regression by Newton's method on standardised rows `x` (n x d,
// row-major), class indices `y`, row weights `w`; the L2 penalty spares the intercepts
// (a tiny one keeps them unique: softmax is unchanged by adding a constant to all).
// Returns K x (d + 1) coefficients, intercept first; false if the data is degenerate.
bool FitMultinomial(const std::vector<double>& x, size_t d, std::span<const double> y,
                    const std::vector<double>& w, size_t classes, const LinearOptions& options,
                    std::vector<double>& beta);

// Solves A x = b for a symmetric positive definite A (n x n, row-major) by Cholesky;
// false if A is not positive definite. Exposed for tests.
bool SolveSpd(std::vector<double> a, std::vector<double>& b, size_t n);

}  // namespace fh::ml
