// Multi-class labels end to end in the library: the metrics against hand counts, and each
// model kind (multinomial logistic regression, XGBoost's softprob, an MLP) learning three
// classes, with probabilities that sum to 1, explanations of the predicted class, and the
// same predictions after a save and load; cross-validation pools a confusion matrix.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ml/linear_model.h"
#include "ml/multiclass_metrics.h"
#include "ml/neural_model.h"
#include "ml/split.h"
#include "ml/trainer.h"
#include "ml/uniform_inputs.h"
#include "ml/xgboost_model.h"
#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

// Three classes by the angle of (a, b): three sectors of 120 degrees, which a softmax of
// linear scores can separate; `noise` (large, meaningless) tempts an unscaled model.
Dataset Sectors(int rows, uint64_t seed) {
  Dataset d;
  d.features = {"a", "b", "noise"};
  d.classes = {"left", "up", "down"};
  SplitMix64 rng(seed);
  for (int i = 0; i < rows; ++i) {
    const double a = Uniform(rng), b = Uniform(rng), noise = Uniform(rng) * 100;
    d.x.insert(d.x.end(),
               {static_cast<float>(a), static_cast<float>(b), static_cast<float>(noise)});
    const double angle = std::atan2(b, a) + std::numbers::pi;  // [0, 2 pi]
    d.y.push_back(std::min(2.0, std::floor(angle / (2 * std::numbers::pi / 3))));
  }
  return d;
}

double Accuracy(const std::vector<double>& p, const Dataset& d) {
  return ScoreMulticlass(p, d.y, d.classes.size()).accuracy;
}

void ExpectProbabilities(const std::vector<double>& p, size_t rows, size_t classes) {
  ASSERT_EQ(p.size(), rows * classes);
  for (size_t i = 0; i < rows; ++i) {
    double sum = 0;
    for (size_t k = 0; k < classes; ++k) {
      ASSERT_TRUE(p[i * classes + k] >= 0 && p[i * classes + k] <= 1);
      sum += p[i * classes + k];
    }
    ASSERT_NEAR(sum, 1, 1e-5) << "row " << i;
  }
}

TEST(MulticlassMetricsTest, MatchHandCounts) {
  // Rows of (p0, p1, p2); actual classes 0 0 1 1 2 2; predicted 0 1 1 1 2 0.
  const std::vector<double> p = {0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.1, 0.8, 0.1,
                                 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.5, 0.1, 0.4};
  const std::vector<double> y = {0, 0, 1, 1, 2, 2};
  const MulticlassScores s = ScoreMulticlass(p, y, 3);
  EXPECT_EQ(s.matrix, (std::vector<int64_t>{1, 1, 0, 0, 2, 0, 1, 0, 1}));
  EXPECT_NEAR(s.accuracy, 4.0 / 6, 1e-12);
  // Class 0: precision 1/2, recall 1/2; class 1: 2/3, 1; class 2: 1, 1/2.
  EXPECT_NEAR(s.of(0).f1, 0.5, 1e-12);
  EXPECT_NEAR(s.of(1).f1, 0.8, 1e-12);
  EXPECT_NEAR(s.of(2).f1, 2.0 / 3, 1e-12);
  EXPECT_NEAR(s.macro_f1, (0.5 + 0.8 + 2.0 / 3) / 3, 1e-12);
  EXPECT_NEAR(s.macro_precision, (0.5 + 2.0 / 3 + 1) / 3, 1e-12);
  EXPECT_EQ(s.of(1).support, 2);
  EXPECT_NEAR(s.log_loss,
              -(std::log(0.7) + std::log(0.3) + std::log(0.8) + std::log(0.5) + std::log(0.8) +
                std::log(0.4)) /
                  6,
              1e-12);
  EXPECT_GT(s.roc_auc, 0.5);
  EXPECT_LE(s.roc_auc, 1);
}

TEST(MulticlassMetricsTest, AClassWithoutRowsLeavesTheMacroAverages) {
  // Class 2 never occurs and is never predicted: it neither counts as 0 nor as 1.
  const std::vector<double> p = {0.9, 0.05, 0.05, 0.1, 0.8, 0.1};
  const MulticlassScores s = ScoreMulticlass(p, std::vector<double>{0, 1}, 3);
  EXPECT_DOUBLE_EQ(s.macro_f1, 1);
  EXPECT_DOUBLE_EQ(s.roc_auc, 1);
  EXPECT_DOUBLE_EQ(FromMatrix(s.matrix, 3).macro_recall, 1);
}

TEST(MulticlassTest, MultinomialLogisticSeparatesTheSectors) {
  const Dataset train = Sectors(1500, 1), test = Sectors(600, 2);
  LinearModel m(Task::kMulticlass, {.l2 = 0.01, .balanced = false});
  ASSERT_TRUE(m.Fit(train).ok());
  Result<std::vector<double>> p = m.Predict(test);
  ASSERT_OK(p);
  ExpectProbabilities(*p, test.rows(), 3);
  EXPECT_GT(Accuracy(*p, test), 0.95);
  const std::vector<double> importance = m.FeatureImportance();
  ASSERT_EQ(importance.size(), 3u);
  EXPECT_LT(importance[2], 0.05);  // noise

  // Contributions explain the predicted class: they add up to its linear score.
  Result<std::vector<double>> c = m.Contributions(test);
  ASSERT_OK(c);
  const std::vector<int> best = MostProbable(*p, 3);
  const std::vector<double>& beta = m.coefficients();
  ASSERT_EQ(beta.size(), 3u * 4);
  for (size_t i = 0; i < 20; ++i) {
    double sum = 0;
    for (size_t j = 0; j < 4; ++j)
      sum += (*c)[i * 4 + j];
    // ln(p_best / p_other) = z_best - z_other; z_other from its own coefficients and the
    // standardised row (each contribution over the predicted class's coefficient).
    const auto b = static_cast<size_t>(best[i]);
    const size_t other = (b + 1) % 3;
    double z_other = beta[other * 4];
    for (size_t j = 0; j < 3; ++j)
      z_other += beta[other * 4 + j + 1] * ((*c)[i * 4 + j] / beta[b * 4 + j + 1]);
    const double expected = std::log((*p)[i * 3 + b] / (*p)[i * 3 + other]) + z_other;
    EXPECT_NEAR(sum, expected, 1e-6) << "row " << i;
  }

  Result<std::string> bytes = m.Save();
  ASSERT_OK(bytes);
  Result<std::unique_ptr<LinearModel>> loaded = LinearModel::Load(Task::kMulticlass, *bytes);
  ASSERT_OK(loaded);
  EXPECT_EQ(*(*loaded)->Predict(test), *p);
}

TEST(MulticlassTest, TwoClassSoftmaxIsLogisticRegressionWithHalfThePenalty) {
  // With K = 2 the softmax's two weight vectors end up opposite, each half the logistic
  // one: the same probabilities as binary logistic regression with l2 / 2.
  Dataset d = Sectors(800, 3);
  for (double& y : d.y)
    y = y == 0 ? 1 : 0;
  d.classes = {"other", "left"};
  LinearModel softmax(Task::kMulticlass, {.l2 = 2, .balanced = false});
  LinearModel logistic(Task::kBinary, {.l2 = 1, .balanced = false});
  ASSERT_TRUE(softmax.Fit(d).ok());
  ASSERT_TRUE(logistic.Fit(d).ok());
  const std::vector<double> ps = *softmax.Predict(d), pl = *logistic.Predict(d);
  for (size_t i = 0; i < d.rows(); ++i)
    ASSERT_NEAR(ps[i * 2 + 1], pl[i], 1e-4) << "row " << i;
}

TEST(MulticlassTest, XgboostSoftprobLearnsTheSectorsAndExplainsThePredictedClass) {
  const Dataset train = Sectors(1500, 4), test = Sectors(600, 5);
  XgboostModel m(Task::kMulticlass, {.rounds = 60});
  ASSERT_TRUE(m.Fit(train).ok());
  Result<std::vector<double>> p = m.Predict(test);
  ASSERT_OK(p);
  ExpectProbabilities(*p, test.rows(), 3);
  EXPECT_GT(Accuracy(*p, test), 0.9);
  Result<std::vector<double>> c = m.Contributions(test);
  ASSERT_OK(c);
  ASSERT_EQ(c->size(), test.rows() * 4);
  // The noise feature explains little of any row's class.
  double noise = 0, signal = 0;
  for (size_t i = 0; i < test.rows(); ++i) {
    signal += std::abs((*c)[i * 4]) + std::abs((*c)[i * 4 + 1]);
    noise += std::abs((*c)[i * 4 + 2]);
  }
  EXPECT_LT(noise, signal / 10);

  Result<std::string> bytes = m.Save();
  ASSERT_OK(bytes);
  Result<std::unique_ptr<XgboostModel>> loaded = XgboostModel::Load(Task::kMulticlass, *bytes);
  ASSERT_OK(loaded);
  EXPECT_EQ(*(*loaded)->Predict(test), *p);
}

TEST(MulticlassTest, MlpHasALogitPerClass) {
  const Dataset train = Sectors(1500, 6), test = Sectors(500, 7);
  NeuralOptions o;
  o.network.kind = "mlp";
  o.network.epochs = 40;
  o.network.batch = 32;
  o.network.learning_rate = 0.01;
  o.network.hidden = {32, 16};
  o.network.seed = 7;
  o.network.threads = 1;  // LeakSanitizer cannot stop OpenMP's workers at exit
  o.balanced = true;
  NeuralModel m(Task::kMulticlass, o);
  Status fit = m.Fit(train);
  ASSERT_OK(fit);
  Result<std::vector<double>> p = m.Predict(test);
  ASSERT_OK(p);
  ExpectProbabilities(*p, test.rows(), 3);
  EXPECT_GT(Accuracy(*p, test), 0.93);
  const std::vector<double> importance = m.FeatureImportance();
  ASSERT_EQ(importance.size(), 3u);
  EXPECT_LT(importance[2], importance[0]);
  EXPECT_LT(importance[2], importance[1]);
  Result<std::vector<double>> c = m.Contributions(test);
  ASSERT_OK(c);
  ASSERT_EQ(c->size(), test.rows() * 4);

  Result<std::string> bytes = m.Save();
  ASSERT_OK(bytes);
  Result<std::unique_ptr<NeuralModel>> loaded = NeuralModel::Load(Task::kMulticlass, *bytes);
  ASSERT_OK(loaded);
  EXPECT_EQ(*(*loaded)->Predict(test), *p);
}

TEST(MulticlassTest, CrossValidationPoolsTheMatrixAndRefusesOneClass) {
  Dataset d = Sectors(900, 8);
  TrainingSpec spec;
  spec.name = "sectors";
  spec.task = Task::kMulticlass;
  spec.model.kind = "xgboost";
  spec.model.rounds = 30;
  spec.split.kind = SplitKind::kStratifiedKFold;
  spec.split.folds = 3;
  Result<TrainReport> r = CrossValidate(d, spec);
  ASSERT_OK(r);
  ASSERT_EQ(r->models.size(), 2u);  // xgboost and the multinomial baseline
  EXPECT_EQ(r->models[1].kind, "logistic");
  EXPECT_EQ(r->classes, d.classes);
  for (const ModelEvaluation& e : r->models) {
    ASSERT_EQ(e.mean.matrix.size(), 9u);
    int64_t total = 0;
    for (int64_t n : e.mean.matrix)
      total += n;
    EXPECT_EQ(total, 900);
    EXPECT_EQ(e.out_of_fold.size(), 900u * 3);
    EXPECT_GT(e.mean.accuracy, 0.85) << e.kind;
    EXPECT_FALSE(e.threshold.has_value());
  }
  Result<TrainReport> again = CrossValidate(d, spec);
  ASSERT_OK(again);
  EXPECT_EQ(again->models[0].out_of_fold, r->models[0].out_of_fold);

  for (double& y : d.y)
    y = 1;
  Result<TrainReport> one = CrossValidate(d, spec);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().message().find("only one class"), std::string::npos);
  d.y[0] = 3;
  Result<TrainReport> bad = CrossValidate(d, spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("not a class index"), std::string::npos);
}

// Published values: scikit-learn's balanced_accuracy_score example (y_true [0, 1, 0, 0, 1,
// 0], y_pred [0, 1, 0, 0, 0, 1]: 0.625) and Cohen's kappa of the two readers of 50
// applications in Wikipedia's worked example (yes/yes 20, yes/no 5, no/yes 10, no/no 15:
// p_o 0.7, p_e 0.5, kappa 0.4).
TEST(MulticlassTest, BalancedAccuracyAndKappaMatchPublishedExamples) {
  // rows: actual, columns: predicted; class 0 recall 3/4, class 1 recall 1/2
  const MulticlassScores s = FromMatrix({3, 1, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(s.balanced_accuracy, 0.625);
  const MulticlassScores readers = FromMatrix({20, 5, 10, 15}, 2);
  EXPECT_DOUBLE_EQ(readers.accuracy, 0.7);
  EXPECT_NEAR(readers.kappa, 0.4, 1e-12);
  // Agreement by chance alone is no agreement; perfect agreement is 1.
  EXPECT_NEAR(FromMatrix({25, 25, 25, 25}, 2).kappa, 0, 1e-12);
  EXPECT_DOUBLE_EQ(FromMatrix({3, 0, 0, 0, 2, 0, 0, 0, 5}, 3).kappa, 1);
  EXPECT_TRUE(std::isnan(FromMatrix({4, 0, 0, 0}, 2).kappa));  // one class only
}

}  // namespace
}  // namespace fh::ml
