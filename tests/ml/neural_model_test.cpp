// Networks through the libtorch plugin: each kind learns what it should, a seed fixes the
// result, a saved model predicts the same, and integrated gradients add up to the margin.
#include "ml/neural_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/metrics.h"
#include "ml/split.h"
#include "ml/uniform_inputs.h"
#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

// y = 1 when signal + wave^2 > 0.3: not linear in the inputs; noise carries nothing.
Dataset Curved(int rows, uint64_t seed) {
  Dataset d;
  d.features = {"signal", "noise", "wave"};
  SplitMix64 rng(seed);
  for (int i = 0; i < rows; ++i) {
    const double signal = Uniform(rng), noise = Uniform(rng), wave = Uniform(rng);
    d.x.insert(d.x.end(), {static_cast<float>(signal), static_cast<float>(noise * 50),
                           static_cast<float>(wave)});
    d.y.push_back(signal + wave * wave > 0.3 ? 1 : 0);
  }
  return d;
}

// Two channels of 8 steps, oldest first; y = mean of channel a's last 3 steps - b's first.
Dataset Sequences(int rows, uint64_t seed) {
  Dataset d;
  for (const char* c : {"a", "b"}) {
    for (int t = 7; t >= 0; --t)
      d.features.push_back(fmt::format("{}[t-{}]", c, t));
  }
  SplitMix64 rng(seed);
  for (int i = 0; i < rows; ++i) {
    std::vector<float> r(16);
    for (float& v : r)
      v = static_cast<float>(Uniform(rng));
    d.x.insert(d.x.end(), r.begin(), r.end());
    d.y.push_back((r[5] + r[6] + r[7]) / 3 - r[8]);
  }
  return d;
}

NeuralOptions Options(const std::string& kind, int epochs) {
  NeuralOptions o;
  o.network.kind = kind;
  o.network.epochs = epochs;
  o.network.batch = 32;
  o.network.learning_rate = 0.01;
  o.network.hidden = kind == "lstm" ? std::vector<int>{16} : std::vector<int>{32, 16};
  o.network.filters = 8;
  o.network.kernel = 3;
  o.network.conv_layers = 2;
  o.network.steps = kind == "mlp" ? 1 : 8;
  o.network.seed = 7;
  // LeakSanitizer (the ASan build) cannot stop OpenMP's worker threads at exit.
  o.network.threads = 1;
  return o;
}

double Std(const std::vector<double>& y) {
  double mean = 0, ss = 0;
  for (double v : y)
    mean += v / static_cast<double>(y.size());
  for (double v : y)
    ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(y.size()));
}

TEST(NeuralModelTest, MlpLearnsACurvedBoundaryAndTheSeedFixesIt) {
  const Dataset train = Curved(2000, 1), test = Curved(1000, 2);
  NeuralModel m(Task::kBinary, Options("mlp", 40));
  ASSERT_TRUE(m.Fit(train).ok());
  EXPECT_GT(m.fit_log().epochs, 0);
  EXPECT_LE(m.fit_log().best_epoch, m.fit_log().epochs);
  Result<std::vector<double>> p = m.Predict(test);
  ASSERT_OK(p);
  EXPECT_GT(RocAuc(*p, test.y), 0.97);
  for (double v : *p)
    ASSERT_TRUE(v >= 0 && v <= 1) << v;

  NeuralModel again(Task::kBinary, Options("mlp", 40));
  ASSERT_TRUE(again.Fit(train).ok());
  EXPECT_EQ(*again.Predict(test), *p);

  const std::vector<double> importance = m.FeatureImportance();
  ASSERT_EQ(importance.size(), 3u);
  EXPECT_NEAR(importance[0] + importance[1] + importance[2], 1, 1e-9);
  EXPECT_LT(importance[1], importance[0]);
  EXPECT_LT(importance[1], importance[2]);
}

TEST(NeuralModelTest, ContributionsAddUpToTheMargin) {
  const Dataset train = Curved(1000, 3), rows = Curved(50, 4);
  NeuralOptions options = Options("mlp", 20);
  options.attribution_steps = 512;
  NeuralModel m(Task::kBinary, options);
  ASSERT_TRUE(m.Fit(train).ok());
  Result<std::vector<double>> p = m.Predict(rows);
  Result<std::vector<double>> c = m.Contributions(rows);
  ASSERT_TRUE(p.ok() && c.ok());
  ASSERT_EQ(c->size(), rows.rows() * 4);
  double worst = 0;
  for (size_t i = 0; i < rows.rows(); ++i) {
    double sum = 0;
    for (size_t j = 0; j < 4; ++j)
      sum += (*c)[i * 4 + j];
    const double margin = std::log((*p)[i] / (1 - (*p)[i]));
    worst = std::max(worst, std::abs(sum - margin));
  }
  // The path's sum converges to the margin (ReLU kinks make the default 64 points off by
  // about 0.1 on this steep boundary).
  EXPECT_LT(worst, 0.05);
}

TEST(NeuralModelTest, RegressionSavesAndLoadsToTheSamePredictions) {
  Dataset d;
  d.features = {"a", "b"};
  SplitMix64 rng(9);
  for (int i = 0; i < 1000; ++i) {
    const double a = Uniform(rng) * 100, b = Uniform(rng);
    d.x.insert(d.x.end(), {static_cast<float>(a), static_cast<float>(b)});
    d.y.push_back(500 + 3 * a - 200 * b);
  }
  NeuralModel m(Task::kRegression, Options("mlp", 60));
  ASSERT_TRUE(m.Fit(d).ok());
  Result<std::vector<double>> p = m.Predict(d);
  ASSERT_OK(p);
  EXPECT_LT(Rmse(*p, d.y), 0.1 * Std(d.y));

  Result<std::string> bytes = m.Save();
  ASSERT_OK(bytes);
  Result<std::unique_ptr<NeuralModel>> loaded = NeuralModel::Load(Task::kRegression, *bytes);
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->kind(), "mlp");
  EXPECT_EQ(*(*loaded)->Predict(d), *p);
  EXPECT_EQ((*loaded)->FeatureImportance(), m.FeatureImportance());

  EXPECT_EQ(NeuralModel::Load(Task::kRegression, "{}\nxx").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(
      NeuralModel::Load(Task::kRegression, bytes->substr(0, bytes->size() / 2)).status().code(),
      StatusCode::kCorruption);
}

TEST(NeuralModelTest, SequenceNetworksReadChannelsOverSteps) {
  const Dataset train = Sequences(1000, 5), test = Sequences(300, 6);
  for (const std::string kind : {"cnn", "lstm"}) {
    NeuralModel m(Task::kRegression, Options(kind, 30));
    EXPECT_EQ(m.kind(), kind);
    ASSERT_TRUE(m.Fit(train).ok()) << kind;
    Result<std::vector<double>> p = m.Predict(test);
    ASSERT_OK(p) << kind;
    EXPECT_LT(Rmse(*p, test.y), 0.35 * Std(test.y)) << kind;
    // The steps that matter weigh more than the ones that do not.
    const std::vector<double> w = m.FeatureImportance();
    EXPECT_GT(w[7], w[1]) << kind;
    EXPECT_GT(w[8], w[12]) << kind;
    Result<std::string> bytes = m.Save();
    ASSERT_OK(bytes);
    Result<std::unique_ptr<NeuralModel>> loaded = NeuralModel::Load(Task::kRegression, *bytes);
    ASSERT_OK(loaded);
    EXPECT_EQ(*(*loaded)->Predict(test), *p) << kind;
  }
}

TEST(NeuralModelTest, RefusesDataItWasNotFittedOn) {
  NeuralModel m(Task::kRegression, Options("cnn", 1));
  EXPECT_EQ(m.Predict(Sequences(3, 1)).status().code(), StatusCode::kFailedPrecondition);
  Dataset odd = Curved(30, 1);  // 3 features are no whole sequences of 8 steps
  EXPECT_EQ(m.Fit(odd).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(m.Fit(Sequences(100, 1)).ok());
  Result<std::vector<double>> p = m.Predict(odd);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "cnn: the data has 3 features, the model 16");
}

TEST(NeuralModelTest, ADivergedTrainingIsAnErrorNotAModel) {
  NeuralOptions o = Options("mlp", 5);
  o.network.learning_rate = 1e30;
  NeuralModel m(Task::kRegression, o);
  const Status s = m.Fit(Sequences(200, 3));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("training diverged at epoch"), std::string::npos) << s.ToString();
  EXPECT_EQ(m.Predict(Sequences(3, 1)).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace fh::ml
