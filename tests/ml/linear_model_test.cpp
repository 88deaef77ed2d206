// The linear baseline: exact least squares, a logistic fit that separates what is
// separable, and the Cholesky solver under both.
#include "ml/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/metrics.h"
#include "ml/split.h"
#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

TEST(LinearModelTest, SolveSpdSolvesAndRefusesSingular) {
  std::vector<double> b = {1, 2};
  ASSERT_TRUE(SolveSpd({4, 2, 2, 3}, b, 2));
  EXPECT_NEAR(4 * b[0] + 2 * b[1], 1, 1e-12);
  EXPECT_NEAR(2 * b[0] + 3 * b[1], 2, 1e-12);
  std::vector<double> c = {1, 1};
  EXPECT_FALSE(SolveSpd({1, 1, 1, 1}, c, 2));
}

TEST(LinearModelTest, LinearRegressionRecoversTheCoefficients) {
  Dataset d;
  d.features = {"a", "b"};
  SplitMix64 rng(3);
  for (int i = 0; i < 500; ++i) {
    const double a = static_cast<double>(rng.Below(1000)) / 10;
    const double b = static_cast<double>(rng.Below(1000)) / 100;
    d.x.push_back(static_cast<float>(a));
    d.x.push_back(static_cast<float>(b));
    d.y.push_back(3 + 2 * static_cast<float>(a) - 5 * static_cast<float>(b));
  }
  LinearModel m(Task::kRegression, {.l2 = 0});
  ASSERT_TRUE(m.Fit(d).ok());
  Result<std::vector<double>> p = m.Predict(d);
  ASSERT_OK(p);
  EXPECT_LT(Rmse(*p, d.y), 1e-3);
  const std::vector<double> importance = m.FeatureImportance();
  ASSERT_EQ(importance.size(), 2u);
  EXPECT_NEAR(importance[0] + importance[1], 1, 1e-12);
}

TEST(LinearModelTest, LogisticRegressionRanksByTheSignal) {
  Dataset d;
  d.features = {"signal", "noise"};
  SplitMix64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    const double signal = static_cast<double>(rng.Below(2000)) / 1000 - 1;  // [-1, 1)
    const double noise = static_cast<double>(rng.Below(2000)) / 1000 - 1;
    const double u = static_cast<double>(rng.Below(1000000)) / 1e6;
    d.x.push_back(static_cast<float>(signal));
    d.x.push_back(static_cast<float>(noise));
    d.y.push_back(u < 1 / (1 + std::exp(-6 * signal)) ? 1 : 0);
  }
  LinearModel m(Task::kBinary, {.l2 = 1, .balanced = false});
  ASSERT_TRUE(m.Fit(d).ok());
  Result<std::vector<double>> p = m.Predict(d);
  ASSERT_OK(p);
  EXPECT_GT(RocAuc(*p, d.y), 0.85);
  EXPECT_GT(m.FeatureImportance()[0], 0.9);  // the noise barely counts
  // Its coefficient on the standardised signal is near 6 x the signal's sd (0.577).
  EXPECT_NEAR(m.coefficients()[1], 6 * 0.577, 0.6);
  for (double q : *p) {
    EXPECT_GE(q, 0);
    EXPECT_LE(q, 1);
  }
}

TEST(LinearModelTest, PredictChecksTheFeatureCount) {
  Dataset d;
  d.features = {"a"};
  d.x = {1, 2, 3};
  d.y = {1, 2, 3};
  LinearModel m(Task::kRegression, {});
  EXPECT_FALSE(m.Predict(d).ok());  // not fitted
  ASSERT_TRUE(m.Fit(d).ok());
  Dataset wide;
  wide.features = {"a", "b"};
  wide.x = {1, 2};
  wide.y = {0};
  EXPECT_EQ(m.Predict(wide).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fh::ml
