// POST /api/v1/optimize over real HTTP: a controls spec as JSON or as YAML text, answered with
// the recommended set-points of a registered model (a logistic model trained here whose best
// set-points are a corner of the box), the inputs held at the hub's latest values; and the
// answers to what cannot be searched: a spec's error at its line, bounds beyond the training
// data (unless allow_extrapolation), no feasible point, an unknown model.
#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "ml/model_registry.h"
#include "optimize/setpoint_models.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ApiOptimizeTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // Risk rises with x1 and falls with x2: lowest at x1's lowest, x2's highest.
    const ml::Dataset d = TwoInputs(2000, 3, [](double x1, double x2, ml::SplitMix64& rng) {
      const double p = Sigmoid(3 * x1 - 1.5 * x2 - 1);
      return static_cast<double>(rng.Below(1000000)) / 1e6 < p ? 1.0 : 0.0;
    });
    ml::LinearModel model(ml::Task::kBinary, {.l2 = 1e-3});
    ASSERT_OK(model.Fit(d));
    ml::RegisteredModel m = Register(model, ml::Task::kBinary, d, Columns({"x1", "x2"}));
    {
      CatalogSession session = hub_->OpenCatalog();
      ASSERT_OK(ml::ModelRegistry(session.models()).Register(std::move(m)));
    }
    // The model's tags (its spec reads t/{column}): where the process runs now.
    SampleBatch batch;
    batch.Add("t/x1", T("2026-03-01T08:00:00Z"), 0.9);
    batch.Add("t/x1", T("2026-03-01T09:00:00Z"), 0.5);
    batch.Add("t/x2", T("2026-03-01T09:00:00Z"), 0.25);
    ASSERT_OK(hub_->storage().Write(batch));
  }
};

TEST_F(ApiOptimizeTest, AJsonSpecGetsTheSetPointsAndWhatTheyChange) {
  const Reply r =
      Post("/api/v1/optimize", {{"model", "synthetic"},
                                {"controls", {{{"name", "x1"}, {"min", -1}, {"max", 1}}}},
                                {"search", {{"seed", 42}}}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["model"], "synthetic@1");
  EXPECT_EQ(r.body["prediction"], "P(y)");
  EXPECT_EQ(r.body["context_source"]["kind"], "latest");
  EXPECT_EQ(r.body["context"]["x2"], 0.25);  // held at its latest value
  const nlohmann::json& x1 = r.body["controls"][0];
  EXPECT_EQ(x1["current"], 0.5);  // the latest value, not the earlier 0.9
  EXPECT_NEAR(x1["recommended"].get<double>(), x1["searched"][0].get<double>(), 1e-9);
  EXPECT_NEAR(x1["searched"][0].get<double>(), -1, 0.01);
  EXPECT_LT(r.body["expected_change"].get<double>(), 0);
  EXPECT_LT(r.body["recommended"]["prediction"].get<double>(),
            r.body["current"]["prediction"].get<double>());
  // At the edge of the data, where rows are sparser than in the middle: not beyond it.
  EXPECT_NE(r.body["recommended"]["distance"]["verdict"], "beyond");
  EXPECT_TRUE(r.body["recommended"]["distance"]["outside"].empty());
  EXPECT_EQ(r.body["drivers"][0]["feature"], "x1");
  EXPECT_EQ(r.body["solver"]["method"], "gradient");
  EXPECT_GT(r.body["solver"]["evaluations"].get<int>(), 0);
  EXPECT_TRUE(r.body["training_data"]["envelope"]);
  // The same request, the same answer.
  const Reply again =
      Post("/api/v1/optimize", {{"model", "synthetic"},
                                {"controls", {{{"name", "x1"}, {"min", -1}, {"max", 1}}}},
                                {"search", {{"seed", 42}}}});
  EXPECT_EQ(again.body["recommended"], r.body["recommended"]);
}

TEST_F(ApiOptimizeTest, AYamlSpecWithAConstraint) {
  const Reply r =
      Post("/api/v1/optimize", {{"yaml",
                                 "model: synthetic\n"
                                 "controls:\n"
                                 "  - { name: x1, min: -1, max: 1 }\n"
                                 "  - { name: x2, min: -1, max: 1 }\n"
                                 "constraints:\n"
                                 "  - { name: throughput, expr: \"x1 + x2\", min: 0.5 }\n"}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const nlohmann::json& c = r.body["recommended"]["constraints"][0];
  EXPECT_EQ(c["name"], "throughput");
  EXPECT_TRUE(c["holds"]);
  EXPECT_GE(c["value"].get<double>(), 0.5 - 1e-6);
  EXPECT_NEAR(r.body["controls"][0]["recommended"].get<double>(), -0.5, 0.01);
}

TEST_F(ApiOptimizeTest, ErrorsSayWhatAndWhere) {
  // A spec's error at its line, in the YAML text.
  Reply r = Post("/api/v1/optimize",
                 {{"yaml", "model: synthetic\ncontrols:\n  - { name: x1, min: 1, max: -1 }\n"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body["error"].get<std::string>(), StartsWith("yaml:3:22: controls[0] (x1): min 1"));
  EXPECT_EQ(r.body["field"], "yaml");
  // Not an input of the model.
  r = Post("/api/v1/optimize",
           {{"model", "synthetic"}, {"controls", {{{"name", "speed"}, {"min", 0}, {"max", 1}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body["error"].get<std::string>(),
              HasSubstr("controls: 'speed' is not an input of synthetic@1 (its inputs: x1, x2)"));
  // Beyond the training data: refused unless allowed.
  const nlohmann::json beyond = {{"model", "synthetic"},
                                 {"controls", {{{"name", "x1"}, {"min", 1.5}, {"max", 3}}}}};
  r = Post("/api/v1/optimize", beyond);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body["error"].get<std::string>(), HasSubstr("lies beyond the training data"));
  EXPECT_THAT(r.body["error"].get<std::string>(), HasSubstr("allow_extrapolation"));
  r = Post("/api/v1/optimize?allow_extrapolation=true", beyond);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["recommended"]["distance"]["outside"][0]["feature"], "x1");
  EXPECT_EQ(r.body["recommended"]["distance"]["verdict"], "beyond");
  EXPECT_TRUE(r.body["training_data"]["extrapolation_allowed"]);
  r = Post("/api/v1/optimize?allow_extrapolation=yes", beyond);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["field"], "allow_extrapolation");
  // No point meets the constraint.
  r = Post("/api/v1/optimize",
           {{"model", "synthetic"},
            {"controls", {{{"name", "x1"}, {"min", -1}, {"max", 1}}}},
            {"constraints", {{{"name", "floor"}, {"expr", "x1"}, {"min", 2}}}}});
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(r.body["error"].get<std::string>(), HasSubstr("no set-points"));
  // An unknown model.
  r = Post("/api/v1/optimize",
           {{"model", "nope"}, {"controls", {{{"name", "x1"}, {"min", -1}, {"max", 1}}}}});
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace fh::testing
