// The set-point search against answers known without it: a logistic model's optimum at a
// corner of the box (or on a constraint's line), a quadratic regression's interior minimum,
// and a trained XGBoost model's minimum over an exhaustive grid; the training data's envelope
// refusing extrapolation; determinism.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "ml/dataset_builder.h"
#include "optimize/setpoint/controls_spec.h"
#include "optimize/setpoint/setpoint_search.h"
#include "optimize/setpoint_models.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using optimize::setpoint::ControlsSpec;
using optimize::setpoint::OptimizeSetpoints;
using optimize::setpoint::ParseControlsSpec;
using optimize::setpoint::SetpointResult;
using ::testing::HasSubstr;

ControlsSpec Spec(const std::string& yaml) {
  Result<ControlsSpec> s = ParseControlsSpec(yaml, "controls.yaml");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : ControlsSpec{};
}

// Risk rises with x1 (log-odds +3 per unit) and falls with x2 (-1.5): lowest at x1 = -1,
// x2 = 1, the corner.
class LogisticSetpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = TwoInputs(3000, 7, [](double x1, double x2, ml::SplitMix64& rng) {
      const double p = Sigmoid(3 * x1 - 1.5 * x2 - 1);
      return static_cast<double>(rng.Below(1000000)) / 1e6 < p ? 1.0 : 0.0;
    });
    model_ = std::make_unique<ml::LinearModel>(ml::Task::kBinary, ml::LinearOptions{.l2 = 1e-3});
    ASSERT_OK(model_->Fit(data_));
    registered_ = Register(*model_, ml::Task::kBinary, data_, Columns({"x1", "x2"}));
  }
  ml::Dataset data_;
  std::unique_ptr<ml::LinearModel> model_;
  ml::RegisteredModel registered_;
};

TEST_F(LogisticSetpointTest, FindsTheCornerTheCoefficientsPointTo) {
  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -1, max: 1, current: 0.5 }
  - { name: x2, min: -1, max: 1, current: 0 }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered_, spec, {}));
  EXPECT_EQ(r.method, "gradient");
  // The corner of the box the training data covers (its rows reach -0.9995 and 0.9991, not
  // quite -1 and 1: the search goes no further).
  EXPECT_NEAR(r.searched[0].first, -1, 2e-3);
  EXPECT_NEAR(r.searched[1].second, 1, 2e-3);
  EXPECT_NEAR(r.recommended.controls[0], r.searched[0].first, 1e-6);
  EXPECT_NEAR(r.recommended.controls[1], r.searched[1].second, 1e-6);
  // The model's own probability there, and below the current point's.
  ml::Dataset corner;
  corner.features = {"x1", "x2"};
  corner.x = {static_cast<float>(r.recommended.controls[0]),
              static_cast<float>(r.recommended.controls[1])};
  corner.y = {0};
  corner.time = {0};
  ASSERT_OK_AND_ASSIGN(const std::vector<double> p, model_->Predict(corner));
  EXPECT_NEAR(r.recommended.prediction, p[0], 1e-12);
  ASSERT_TRUE(r.current.has_value());
  EXPECT_LT(r.recommended.prediction, r.current->prediction);
  // x1 drives the change most (coefficient 3 against 1.5, moved 1.5 against 1).
  ASSERT_FALSE(r.drivers.empty());
  EXPECT_EQ(r.drivers[0].feature, "x1");
  EXPECT_LT(r.drivers[0].change(), 0);
  EXPECT_GT(r.evaluations, 0);
  EXPECT_LE(r.evaluations, 3000);
}

TEST_F(LogisticSetpointTest, KeepsAThroughputFloorAndLandsOnItsLine) {
  // x1 + x2 >= 0.5 cuts the corner off: along the line x2 = 0.5 - x1 the log-odds are
  // 4.5 x1 + const, lowest at the smallest x1 the box allows there: x2 = 1, x1 = -0.5.
  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -1, max: 1, current: 0.5 }
  - { name: x2, min: -1, max: 1, current: 0.5 }
constraints:
  - { name: throughput, expr: "x1 + x2", min: 0.5 }
)");
  for (const char* method : {"gradient", "derivative-free"}) {
    SCOPED_TRACE(method);
    ControlsSpec s = spec;
    s.search.method = std::string(method) == "gradient"
                          ? optimize::setpoint::SearchSettings::Method::kGradient
                          : optimize::setpoint::SearchSettings::Method::kDerivativeFree;
    ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered_, s, {}));
    ASSERT_EQ(r.recommended.constraints.size(), 1u);
    EXPECT_TRUE(r.recommended.constraints[0].holds);
    EXPECT_GE(r.recommended.constraints[0].value, 0.5 - 1e-6);
    EXPECT_NEAR(r.recommended.controls[0], -0.5, 0.01);
    EXPECT_NEAR(r.recommended.controls[1], 1, 0.01);
  }
}

TEST_F(LogisticSetpointTest, NoFeasiblePointIsAnErrorSayingWhatIsViolated) {
  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -1, max: 1 }
  - { name: x2, min: -1, max: 1 }
constraints:
  - { name: throughput, expr: "x1 + x2", min: 3 }
)");
  Result<SetpointResult> r = OptimizeSetpoints(registered_, spec, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("no set-points"));
  EXPECT_THAT(r.status().message(),
              HasSubstr("the closest point found still has throughput = 1.99"));
}

TEST_F(LogisticSetpointTest, RefusesBoundsBeyondTheTrainingDataUnlessAllowed) {
  // Bounds wholly outside the training data: refused, saying how to search there anyway.
  const ControlsSpec outside = Spec(R"(
controls:
  - { name: x1, min: 1.5, max: 3 }
  - { name: x2, min: -1, max: 1 }
)");
  Result<SetpointResult> refused = OptimizeSetpoints(registered_, outside, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("controls.yaml: controls: x1: [1.5, 3] lies beyond the training data of "
                        "synthetic@1 (-0.999504 to 0.998868)"));
  EXPECT_THAT(refused.status().message(), HasSubstr("--allow-extrapolation"));

  // Bounds reaching beyond it: searched within it only, and said so.
  const ControlsSpec wide = Spec(R"(
controls:
  - { name: x1, min: -3, max: 1 }
  - { name: x2, min: -1, max: 1 }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult kept, OptimizeSetpoints(registered_, wide, {}));
  EXPECT_NEAR(kept.recommended.controls[0], -0.999504, 1e-6);
  EXPECT_TRUE(kept.recommended.outside.empty());
  EXPECT_THAT(::testing::PrintToString(kept.notes),
              HasSubstr("x1: searched within [-0.999504, 0.998868], the part of [-3, 1] the "
                        "training data covers"));

  // Allowed: the whole box, and every feature beyond the data flagged.
  ASSERT_OK_AND_ASSIGN(const SetpointResult allowed,
                       OptimizeSetpoints(registered_, wide, {}, {.allow_extrapolation = true}));
  EXPECT_NEAR(allowed.recommended.controls[0], -3, 1e-6);
  ASSERT_GE(allowed.recommended.outside.size(), 1u);
  EXPECT_EQ(allowed.recommended.outside[0].feature, "x1");
  // Far from every training row, and said so.
  ASSERT_TRUE(allowed.recommended.nn_distance.has_value());
  EXPECT_GT(*allowed.recommended.nn_distance, allowed.nn_p99);
  EXPECT_THAT(::testing::PrintToString(allowed.notes), HasSubstr("extrapolated: x1"));
  ASSERT_OK_AND_ASSIGN(const SetpointResult far,
                       OptimizeSetpoints(registered_, outside, {}, {.allow_extrapolation = true}));
  EXPECT_NEAR(far.recommended.controls[0], 1.5, 1e-6);
}

TEST_F(LogisticSetpointTest, RefusesAContextOutsideTheTrainingData) {
  const ControlsSpec spec = Spec("controls: [{ name: x1, min: -1, max: 1 }]\n");
  Result<SetpointResult> r = OptimizeSetpoints(registered_, spec, {{"x2", 4}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("context: x2 4 (trained on"));
  EXPECT_OK(OptimizeSetpoints(registered_, spec, {{"x2", 0.2}}));
  Result<SetpointResult> missing = OptimizeSetpoints(registered_, spec, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("context: no value for x2"));
}

TEST_F(LogisticSetpointTest, AModelWithoutAnEnvelopeIsSearchedWithinTheBoundsAndSaysSo) {
  const ml::RegisteredModel old =
      Register(*model_, ml::Task::kBinary, data_, Columns({"x1", "x2"}), /*envelope=*/false);
  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -3, max: 1 }
  - { name: x2, min: -1, max: 1 }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(old, spec, {}));
  EXPECT_FALSE(r.envelope);
  EXPECT_FALSE(r.recommended.nn_distance.has_value());
  EXPECT_NEAR(r.recommended.controls[0], -3, 1e-6);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_THAT(r.notes[0],
              HasSubstr("trained before factoryhub kept what its training data covered"));
}

TEST_F(LogisticSetpointTest, WithinTheToleranceThePointNearestTheCurrentOneWins) {
  // Every point is within a tolerance of 1 of the best probability: no move is worth it.
  const ControlsSpec lax = Spec(R"(
controls:
  - { name: x1, min: -1, max: 1, current: 0.5 }
  - { name: x2, min: -1, max: 1, current: 0 }
search: { tolerance: 1 }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered_, lax, {}));
  EXPECT_EQ(r.recommended.controls[0], 0.5);
  EXPECT_EQ(r.recommended.controls[1], 0);
  ASSERT_TRUE(r.current.has_value());
  EXPECT_EQ(r.recommended.prediction, r.current->prediction);
  EXPECT_THAT(::testing::PrintToString(r.notes), HasSubstr("already as good as any found"));
}

TEST_F(LogisticSetpointTest, StepsAndIntegersAreKept) {
  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -0.95, max: 0.95, step: 0.1 }
  - { name: x2, min: -1, max: 1, limits: [null, 0.62] }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered_, spec, {}));
  EXPECT_EQ(r.method, "derivative-free");
  EXPECT_NEAR(r.recommended.controls[0], -0.95, 1e-9);  // on its step grid, at the bottom
  EXPECT_NEAR(r.recommended.controls[1], 0.62, 1e-3);   // the spec limit, not the bound
}

// Three classes: "a" when x1 is high, "b" when x2 is low, else "none" (the normal one).
TEST(MulticlassSetpointTest, MinimisesAnyFailureOrANamedClass) {
  ml::Dataset d = TwoInputs(3000, 5, [](double x1, double x2, ml::SplitMix64& rng) {
    const double noise = static_cast<double>(rng.Below(1000)) / 1000 * 0.2 - 0.1;
    if (x1 + noise > 0.3) return 1.0;
    if (x2 + noise < -0.3) return 2.0;
    return 0.0;
  });
  d.classes = {"none", "a", "b"};
  ml::LinearModel model(ml::Task::kMulticlass, {.l2 = 1e-3});
  ASSERT_OK(model.Fit(d));
  ml::RegisteredModel registered = Register(model, ml::Task::kMulticlass, d, Columns({"x1", "x2"}));
  registered.classes = d.classes;
  registered.normal_class = "none";
  const ControlsSpec any = Spec(R"(
controls:
  - { name: x1, min: -0.9, max: 0.9 }
  - { name: x2, min: -0.9, max: 0.9 }
)");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered, any, {}));
  EXPECT_EQ(r.prediction, "P(not none)");
  // Away from both failures: x1 low, x2 high.
  EXPECT_LT(r.recommended.controls[0], 0);
  EXPECT_GT(r.recommended.controls[1], 0);
  ml::Dataset at;
  at.features = {"x1", "x2"};
  at.x = {static_cast<float>(r.recommended.controls[0]),
          static_cast<float>(r.recommended.controls[1])};
  at.y = {0};
  at.time = {0};
  ASSERT_OK_AND_ASSIGN(const std::vector<double> p, model.Predict(at));
  EXPECT_NEAR(r.recommended.prediction, 1 - p[0], 1e-12);

  // Only class b counts: x2 high is what matters.
  ControlsSpec only_b = any;
  only_b.objective.cls = "b";
  ASSERT_OK_AND_ASSIGN(const SetpointResult b, OptimizeSetpoints(registered, only_b, {}));
  EXPECT_EQ(b.prediction, "P(b)");
  EXPECT_GT(b.recommended.controls[1], 0.5);
  only_b.objective.cls = "c";
  Result<SetpointResult> unknown = OptimizeSetpoints(registered, only_b, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("has no class 'c' (classes: none, a, b)"));
}

// y = (x - 0.3)^2 + 1, learnt exactly by linear regression on x and x^2 (an expression
// feature): its minimum, inside the box, is at x = 0.3.
TEST(QuadraticSetpointTest, FindsTheInteriorMinimumOfAQuadraticRegression) {
  const std::vector<ml::FeatureSpec> features = {
      {ml::FeatureSpec::Kind::kColumn, "x", "x"},
      {ml::FeatureSpec::Kind::kExpression, "x_squared", "", "x * x"}};
  ml::Dataset d;
  d.features = {"x", "x_squared"};
  for (int i = 0; i <= 400; ++i) {
    const double x = -1 + i / 200.0;
    d.x.push_back(static_cast<float>(x));
    d.x.push_back(static_cast<float>(x * x));
    d.y.push_back((x - 0.3) * (x - 0.3) + 1);
    d.time.push_back(i);
  }
  ml::LinearModel model(ml::Task::kRegression, {.l2 = 1e-9});
  ASSERT_OK(model.Fit(d));
  const ml::RegisteredModel registered = Register(model, ml::Task::kRegression, d, features);
  const ControlsSpec spec = Spec("controls: [{ name: x, min: -1, max: 1, current: -0.8 }]\n");
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered, spec, {}));
  EXPECT_EQ(r.method, "gradient");
  EXPECT_NEAR(r.recommended.controls[0], 0.3, 2e-3);
  EXPECT_NEAR(r.recommended.prediction, 1, 1e-4);
  EXPECT_EQ(r.prediction, "predicted y");
  // Maximise instead: the far end of the parabola, x = -1.
  ControlsSpec up =
      Spec("controls: [{ name: x, min: -1, max: 1 }]\nobjective: { maximize: prediction }\n");
  ASSERT_OK_AND_ASSIGN(const SetpointResult high, OptimizeSetpoints(registered, up, {}));
  EXPECT_NEAR(high.recommended.controls[0], -1, 1e-6);
  // A target: y = 1.09 at x = 0 (and x = 0.6); either is right.
  ControlsSpec target = Spec(
      "controls: [{ name: x, min: -1, max: 1, current: -0.2 }]\nobjective: { target: 1.09 }\n");
  ASSERT_OK_AND_ASSIGN(const SetpointResult hit, OptimizeSetpoints(registered, target, {}));
  EXPECT_NEAR(hit.recommended.prediction, 1.09, 1e-4);
}

// A tree ensemble's risk, piecewise constant, against an exhaustive grid of 201 x 201 points
// scored by the same model: the search must reach the grid's minimum within its resolution.
TEST(XgboostSetpointTest, MatchesAnExhaustiveGridOverTwoControls) {
  // Risk lowest in a bowl around (0.35, -0.4), plus a weaker pocket near (-0.6, 0.6).
  const ml::Dataset d = TwoInputs(4000, 11, [](double x1, double x2, ml::SplitMix64& rng) {
    const double bowl = 4 * ((x1 - 0.35) * (x1 - 0.35) + (x2 + 0.4) * (x2 + 0.4));
    const double pocket = 2 * ((x1 + 0.6) * (x1 + 0.6) + (x2 - 0.6) * (x2 - 0.6));
    const double p = Sigmoid(std::min(bowl - 3, pocket - 1.5));
    return static_cast<double>(rng.Below(1000000)) / 1e6 < p ? 1.0 : 0.0;
  });
  ml::XgboostModel model(
      ml::Task::kBinary,
      {.rounds = 60, .params = {{"max_depth", "4"}, {"eta", "0.1"}, {"nthread", "1"}}});
  ASSERT_OK(model.Fit(d));
  const ml::RegisteredModel registered =
      Register(model, ml::Task::kBinary, d, Columns({"x1", "x2"}));

  // The grid, in one batch: both inputs as floats, as the search gives them to the model.
  constexpr int kSteps = 200;
  const double lo = -0.98, hi = 0.98;
  ml::Dataset grid;
  grid.features = {"x1", "x2"};
  for (int i = 0; i <= kSteps; ++i) {
    for (int j = 0; j <= kSteps; ++j) {
      grid.x.push_back(static_cast<float>(lo + (hi - lo) * i / kSteps));
      grid.x.push_back(static_cast<float>(lo + (hi - lo) * j / kSteps));
      grid.y.push_back(0);
      grid.time.push_back(0);
    }
  }
  ASSERT_OK_AND_ASSIGN(const std::vector<double> p, model.Predict(grid));
  const size_t best = static_cast<size_t>(std::min_element(p.begin(), p.end()) - p.begin());
  const double grid_min = p[best];

  const ControlsSpec spec = Spec(R"(
controls:
  - { name: x1, min: -0.98, max: 0.98, current: -0.5 }
  - { name: x2, min: -0.98, max: 0.98, current: 0.9 }
search: { evaluations: 3000, seed: 42 }
)");
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(const SetpointResult r, OptimizeSetpoints(registered, spec, {}));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.method, "derivative-free");
  EXPECT_THAT(r.algorithms, HasSubstr("NLOPT_GN_DIRECT_L"));
  // The grid holds 40,401 points; the search used at most 3,000 predictions and did as well:
  // within the grid's resolution, no worse than the best grid point by more than a tiny
  // margin (a leaf the grid's spacing happens to hit, the search's need not).
  EXPECT_LE(r.evaluations, 3000);
  EXPECT_LE(r.recommended.prediction, grid_min + 2e-3)
      << "search " << r.recommended.prediction << " at (" << r.recommended.controls[0] << ", "
      << r.recommended.controls[1] << "), grid " << grid_min << " at (" << grid.x[2 * best] << ", "
      << grid.x[2 * best + 1] << ")";
  // In the bowl's quadrant, not the weaker pocket's.
  EXPECT_GT(r.recommended.controls[0], 0);
  EXPECT_LT(r.recommended.controls[1], 0);
  ASSERT_TRUE(r.current.has_value());
  EXPECT_LT(r.recommended.prediction, r.current->prediction);
  std::printf("xgboost (%s): search %.5f at (%.3f, %.3f) in %lld evaluations, %.2f s; grid %.5f\n",
              r.algorithms.c_str(), r.recommended.prediction, r.recommended.controls[0],
              r.recommended.controls[1], static_cast<long long>(r.evaluations), seconds, grid_min);

  // Same model, spec and seed: the same answer to the last digit.
  ASSERT_OK_AND_ASSIGN(const SetpointResult again, OptimizeSetpoints(registered, spec, {}));
  EXPECT_EQ(again.recommended.controls, r.recommended.controls);
  EXPECT_EQ(again.evaluations, r.evaluations);

  // A throughput floor that cuts through the bowl: met by the answer.
  ControlsSpec floor = spec;
  floor.constraints.push_back({"throughput", "x1 + x2", 0.4, std::nullopt});
  ASSERT_OK_AND_ASSIGN(const SetpointResult c, OptimizeSetpoints(registered, floor, {}));
  EXPECT_GE(c.recommended.controls[0] + c.recommended.controls[1], 0.4 - 1e-9);
  EXPECT_TRUE(c.recommended.feasible);
  // And no grid point meeting it does better by more than the margin.
  double grid_feasible_min = 1;
  for (size_t k = 0; k < p.size(); ++k) {
    if (grid.x[2 * k] + grid.x[2 * k + 1] >= 0.4)
      grid_feasible_min = std::min(grid_feasible_min, p[k]);
  }
  EXPECT_LE(c.recommended.prediction, grid_feasible_min + 2e-3);
}

}  // namespace
}  // namespace fh::testing
