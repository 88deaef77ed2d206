// The metrics against an independent implementation (scikit-learn 1.2's roc_auc_score and
// average_precision_score on the same scores, ties included) and by hand.
#include "ml/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "ml/bootstrap.h"

namespace fh::ml {
namespace {

const std::vector<double> kLabel = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0};
const std::vector<double> kScore = {0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.4, 0.05, 0.4, 0.6, 0.7, 0.3};

TEST(MetricsTest, AucsMatchScikitLearnWithTies) {
  EXPECT_NEAR(RocAuc(kScore, kLabel), 0.8571428571428571, 1e-12);
  EXPECT_NEAR(PrAuc(kScore, kLabel), 0.8392857142857142, 1e-12);
}

TEST(MetricsTest, AucsOfPerfectAndInvertedScores) {
  const std::vector<double> y = {0, 0, 1, 1};
  EXPECT_EQ(RocAuc(std::vector<double>{0.1, 0.2, 0.8, 0.9}, y), 1.0);
  EXPECT_EQ(RocAuc(std::vector<double>{0.9, 0.8, 0.2, 0.1}, y), 0.0);
  EXPECT_EQ(RocAuc(std::vector<double>{0.5, 0.5, 0.5, 0.5}, y), 0.5);
  EXPECT_EQ(PrAuc(std::vector<double>{0.1, 0.2, 0.8, 0.9}, y), 1.0);
  EXPECT_TRUE(std::isnan(RocAuc(std::vector<double>{0.1, 0.2}, std::vector<double>{0, 0})));
  EXPECT_TRUE(std::isnan(PrAuc(std::vector<double>{0.1, 0.2}, std::vector<double>{0, 0})));
}

TEST(MetricsTest, ConfusionAndF1AtAThreshold) {
  const Confusion c = ConfusionAt(kScore, kLabel, 0.4);
  // Scores >= 0.4: 0.4 (0), 0.8 (1), 0.9 (1), 0.4 (0), 0.4 (1), 0.6 (0), 0.7 (1).
  EXPECT_EQ(c.tp, 4);
  EXPECT_EQ(c.fp, 3);
  EXPECT_EQ(c.fn, 1);
  EXPECT_EQ(c.tn, 4);
  EXPECT_DOUBLE_EQ(c.precision(), 4.0 / 7);
  EXPECT_DOUBLE_EQ(c.recall(), 4.0 / 5);
  EXPECT_DOUBLE_EQ(c.f1(), 8.0 / 12);
  EXPECT_EQ(Confusion{}.f1(), 0);
}

TEST(MetricsTest, BestF1ThresholdIsBetweenTheScoresOfTheBestCut) {
  const ThresholdChoice t = BestF1Threshold(kScore, kLabel);
  // Every cut by hand (5 positives; F1 = 2tp / (tp + fp + 5)): the top 3 (0.9, 0.8, 0.7)
  // give 6/8; the top 4 (+0.6) 6/9; the top 7 (+the three 0.4) 8/12; the top 8 (+0.35)
  // 10/13, the best; the top 9 (+0.3) 10/14.
  EXPECT_DOUBLE_EQ(t.f1, 10.0 / 13);
  EXPECT_DOUBLE_EQ(t.threshold, (0.35 + 0.3) / 2);
  EXPECT_DOUBLE_EQ(ConfusionAt(kScore, kLabel, t.threshold).f1(), t.f1);
}

TEST(MetricsTest, CurvesStartAndEndWhereTheyShould) {
  const std::vector<CurvePoint> roc = RocCurve(kScore, kLabel);
  ASSERT_GE(roc.size(), 2u);
  EXPECT_EQ(roc.front().x, 0);
  EXPECT_EQ(roc.front().y, 0);
  EXPECT_EQ(roc.back().x, 1);
  EXPECT_EQ(roc.back().y, 1);
  const std::vector<CurvePoint> pr = PrCurve(kScore, kLabel);
  EXPECT_EQ(pr.back().x, 1);  // all predicted positive: recall 1, precision 5/12
  EXPECT_DOUBLE_EQ(pr.back().y, 5.0 / 12);
  std::vector<double> many(1000), labels(1000);
  for (size_t i = 0; i < many.size(); ++i) {
    many[i] = static_cast<double>(i);
    labels[i] = i % 3 == 0;
  }
  EXPECT_EQ(RocCurve(many, labels, 50).size(), 50u);
}

TEST(MetricsTest, RegressionErrorsAndPhm08) {
  const std::vector<double> actual = {10, 20, 30};
  const std::vector<double> predicted = {12, 17, 30};
  EXPECT_DOUBLE_EQ(Rmse(predicted, actual), std::sqrt((4.0 + 9.0 + 0.0) / 3));
  EXPECT_DOUBLE_EQ(Mae(predicted, actual), 5.0 / 3);
  // Late by 2: exp(2/10) - 1; early by 3: exp(3/13) - 1; exact: 0.
  EXPECT_DOUBLE_EQ(Phm08Score(predicted, actual), std::exp(0.2) - 1 + std::exp(3.0 / 13) - 1);
}

// scikit-learn's documented examples: brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
// is 0.0375; calibration_curve of nine rows in 3 bins gives prob_true [0, 0.5, 1] and
// prob_pred [0.2, 0.525, 0.85].
TEST(MetricsTest, BrierScoreAndReliabilityAsScikitLearnDocumentsThem) {
  EXPECT_NEAR(BrierScore(std::vector<double>{0.1, 0.9, 0.8, 0.3}, std::vector<double>{0, 1, 1, 0}),
              0.0375, 1e-12);
  EXPECT_DOUBLE_EQ(BrierScore(std::vector<double>{0.5, 0.5}, std::vector<double>{0, 1}), 0.25);
  const std::vector<double> label = {0, 0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<double> p = {0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0};
  const std::vector<ReliabilityBin> bins = ReliabilityCurve(p, label, 3);
  ASSERT_EQ(bins.size(), 3u);
  const double observed[] = {0, 0.5, 1}, predicted[] = {0.2, 0.525, 0.85};
  const int64_t rows[] = {3, 2, 4};
  for (size_t b = 0; b < 3; ++b) {
    EXPECT_NEAR(bins[b].observed, observed[b], 1e-12) << b;
    EXPECT_NEAR(bins[b].predicted, predicted[b], 1e-12) << b;
    EXPECT_EQ(bins[b].rows, rows[b]) << b;
  }
  // Ten bins as scikit-learn cuts them: 0.2 on an edge goes below it, 0.65 and 0.7 (above
  // linspace's 0.6000000000000001, not above its 0.7000000000000001) share one.
  EXPECT_EQ(ReliabilityCurve(p, label, 10).size(), 8u);
}

// The bootstrap of a known distribution: the mean of 400 standard normal draws has a
// standard error of 1/20, so its 95 % interval is the sample mean +- 1.96/20 (within the
// resampling's own noise, a few per cent at 2,000 resamples).
TEST(BootstrapTest, TheMeanOfNormalDrawsGetsItsTextbookInterval) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x(400);
  for (double& v : x)
    v = normal(rng);
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / 400;
  const double se = SampleStdDev(x) / std::sqrt(400.0);
  auto mean_of = [&](std::span<const size_t> rows) {
    double sum = 0;
    for (size_t i : rows)
      sum += x[i];
    return std::vector<double>{sum / static_cast<double>(rows.size())};
  };
  const std::vector<Interval> i = BootstrapIntervals(400, {}, 1, mean_of, {.resamples = 2000});
  ASSERT_EQ(i.size(), 1u);
  EXPECT_NEAR(i[0].low, mean - 1.96 * se, 0.1 * 1.96 * se);
  EXPECT_NEAR(i[0].high, mean + 1.96 * se, 0.1 * 1.96 * se);
  // Same seed, same interval.
  const std::vector<Interval> again = BootstrapIntervals(400, {}, 1, mean_of, {.resamples = 2000});
  EXPECT_EQ(again[0].low, i[0].low);
  EXPECT_EQ(again[0].high, i[0].high);
}

// Rows of one unit move together: 40 units of 10 identical rows carry 40 draws' worth of
// information, not 400, and resampling units says so (an interval about sqrt(10) wider).
TEST(BootstrapTest, UnitsAreResampledWholeNotTheirRows) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x;
  std::vector<std::string> unit;
  for (int u = 0; u < 40; ++u) {
    const double v = normal(rng);
    for (int r = 0; r < 10; ++r) {
      x.push_back(v);
      unit.push_back("engine-" + std::to_string(u));
    }
  }
  auto mean_of = [&](std::span<const size_t> rows) {
    double sum = 0;
    for (size_t i : rows)
      sum += x[i];
    return std::vector<double>{sum / static_cast<double>(rows.size())};
  };
  const Interval by_unit = BootstrapIntervals(x.size(), unit, 1, mean_of)[0];
  const Interval by_row = BootstrapIntervals(x.size(), {}, 1, mean_of)[0];
  const double ratio = (by_unit.high - by_unit.low) / (by_row.high - by_row.low);
  EXPECT_GT(ratio, 2.5);
  EXPECT_LT(ratio, 4.0);
  EXPECT_DOUBLE_EQ(SampleStdDev(std::vector<double>{1, 2, 3, 4}), std::sqrt(5.0 / 3));
  EXPECT_EQ(SampleStdDev(std::vector<double>{7}), 0);
}

}  // namespace
}  // namespace fh::ml
