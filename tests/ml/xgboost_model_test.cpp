// XGBoost's defaults in factoryhub: the histogram method unless the spec names another (a
// spec's own tree_method and nthread win), and cross-validation telling its progress fold
// by fold.
#include <gtest/gtest.h>

#include <cmath>

#include "ml/split.h"
#include "ml/trainer.h"
#include "ml/uniform_inputs.h"
#include "ml/xgboost_model.h"
#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

// A smooth target of three inputs on a fine grid: far more distinct values than the
// histogram's 256 bins, so that "exact" and "hist" choose different split points.
Dataset Smooth(int rows, uint64_t seed) {
  Dataset d;
  d.features = {"a", "b", "c"};
  SplitMix64 rng(seed);
  for (int i = 0; i < rows; ++i) {
    const double a = Uniform(rng), b = Uniform(rng), c = Uniform(rng);
    d.x.insert(d.x.end(), {static_cast<float>(a), static_cast<float>(b), static_cast<float>(c)});
    d.y.push_back(std::sin(3 * a) + b * b + 0.1 * c);
  }
  return d;
}

std::vector<double> FitAndPredict(const Dataset& train, const Dataset& test,
                                  std::map<std::string, std::string> params) {
  XgboostModel m(Task::kRegression, {.rounds = 20, .params = std::move(params)});
  EXPECT_OK(m.Fit(train));
  Result<std::vector<double>> p = m.Predict(test);
  EXPECT_OK(p);
  return p.ok() ? *p : std::vector<double>{};
}

TEST(XgboostModelTest, DefaultsToTheHistogramMethodUnlessTheSpecNamesOne) {
  const Dataset train = Smooth(2000, 1), test = Smooth(200, 2);
  const std::vector<double> by_default = FitAndPredict(train, test, {});
  EXPECT_EQ(by_default, FitAndPredict(train, test, {{"tree_method", "hist"}}));
  // The spec's choice wins: exact splits between any two values, not at bin edges.
  EXPECT_NE(by_default, FitAndPredict(train, test, {{"tree_method", "exact"}}));
  // So does its thread count.
  EXPECT_EQ(FitAndPredict(train, test, {{"tree_method", "exact"}, {"nthread", "1"}}),
            FitAndPredict(train, test, {{"tree_method", "exact"}}));
}

TEST(XgboostModelTest, AnUnknownTreeMethodIsAnError) {
  XgboostModel m(Task::kRegression, {.rounds = 2, .params = {{"tree_method", "fastest"}}});
  EXPECT_FALSE(m.Fit(Smooth(100, 3)).ok());
}

TEST(XgboostModelTest, CrossValidationTellsEachFoldBegunAndDone) {
  Dataset d = Smooth(600, 4);
  TrainingSpec spec;
  spec.name = "smooth";
  spec.task = Task::kRegression;
  spec.model.rounds = 10;
  spec.split.kind = SplitKind::kStratifiedKFold;  // dealt round-robin: fine for any label
  spec.split.folds = 3;
  std::vector<std::string> seen;
  Result<TrainReport> r = CrossValidate(d, spec, nullptr, [&](const FoldProgress& p) {
    EXPECT_EQ(p.folds, 3);
    EXPECT_GE(p.seconds, 0);
    seen.push_back(fmt::format("{} {} {}", p.kind, p.fold, p.done ? "done" : "begun"));
  });
  ASSERT_OK(r);
  const std::vector<std::string> expected = {
      "xgboost 1 begun", "xgboost 1 done", "xgboost 2 begun", "xgboost 2 done",
      "xgboost 3 begun", "xgboost 3 done", "xgboost 0 begun",  // the fit on all rows
      "linear 1 begun",  "linear 1 done",  "linear 2 begun",  "linear 2 done",
      "linear 3 begun",  "linear 3 done",  "linear 0 begun"};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace fh::ml
