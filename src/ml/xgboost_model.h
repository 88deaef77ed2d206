// Gradient-boosted trees through XGBoost's C API (Debian's libxgboost). The only file of
// factoryhub that includes XGBoost's header.
#pragma once

#include <map>
#include <string>

#include "ml/model.h"

namespace fh::ml {

struct XgboostOptions {
  int rounds = 300;  // boosting rounds (trees)
  // Booster parameters as XGBoost names them (max_depth, eta, subsample, ...); the objective
  // follows from the task, the seed from the spec, tree_method is "hist" and nthread every
  // core, unless given here.
  std::map<std::string, std::string> params;
  bool balanced = false;  // classification: weigh every class equally
  uint64_t seed = 42;
};

class XgboostModel : public Model {
 public:
  XgboostModel(Task task, XgboostOptions options);
  ~XgboostModel() override;
  XgboostModel(const XgboostModel&) = delete;
  XgboostModel& operator=(const XgboostModel&) = delete;

  std::string_view kind() const override { return "xgboost"; }
  Status Fit(const Dataset& train) override;
  Result<std::vector<double>> Predict(const Dataset& data) const override;
  // Total gain of each feature's splits, normalised.
  std::vector<double> FeatureImportance() const override;
  // SHAP values (XGBoost's pred_contribs): per row, one contribution per feature then the
  // bias, summing to the margin (log-odds for binary; multi-class: of the most probable
  // class).
  Result<std::vector<double>> Contributions(const Dataset& data) const override;
  // XGBoost's own binary format (UBJSON).
  Result<std::string> Save() const override;
  std::string FitSummary() const override;
  static Result<std::unique_ptr<XgboostModel>> Load(Task task, std::string_view bytes);

 private:
  Result<std::vector<double>> Run(const Dataset& data, int type) const;
  Task task_;
  XgboostOptions options_;
  void* booster_ = nullptr;  // BoosterHandle
  size_t features_ = 0;
};

}  // namespace fh::ml
