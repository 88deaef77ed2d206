// The training data's envelope kept with a model (ml/training_envelope.h): ranges and
// percentiles per feature, the nearest-neighbour reference, its JSON round trip, and models
// from before it was kept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/json_text.h"
#include "ml/registered_model_json.h"
#include "ml/training_envelope.h"
#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

// x from 0 to 99.9 in steps of 0.1 (1,000 rows), y = 2x; a missing value of y on row 5.
Dataset Rows() {
  Dataset d;
  d.features = {"x", "y"};
  for (int i = 0; i < 1000; ++i) {
    d.x.push_back(static_cast<float>(i / 10.0));
    d.x.push_back(i == 5 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(i / 5.0));
    d.y.push_back(0);
  }
  return d;
}

TEST(TrainingEnvelopeTest, RangesPercentilesAndTheNearestNeighbourReference) {
  const TrainingEnvelope e = ComputeEnvelope(Rows(), 100, 42);
  ASSERT_EQ(e.features.size(), 2u);
  EXPECT_EQ(e.rows, 1000);
  EXPECT_EQ(e.features[0].min, 0);
  EXPECT_NEAR(e.features[0].max, 99.9, 1e-5);
  EXPECT_NEAR(e.features[0].p01, 0.999, 1e-3);  // numpy's linear interpolation
  EXPECT_NEAR(e.features[0].p99, 98.901, 1e-3);
  EXPECT_NEAR(e.features[0].mean, 49.95, 1e-3);
  EXPECT_NEAR(e.features[1].max, 199.8, 1e-4);  // the missing value skipped
  EXPECT_EQ(e.sample.size(), 100u);
  EXPECT_GT(e.nn_median, 0);
  EXPECT_LE(e.nn_median, e.nn_p95);
  EXPECT_LE(e.nn_p95, e.nn_p99);
  // A row on the data's line is close; one far off it is beyond the 99th percentile.
  const double on[] = {50, 100}, off[] = {50, 20}, far[] = {500, 1000};
  EXPECT_LE(e.NearestDistance(on), e.nn_p99);
  EXPECT_GT(e.NearestDistance(off), e.nn_p99);
  EXPECT_GT(e.NearestDistance(far), e.NearestDistance(off));
  // Seeded: the same every time.
  EXPECT_EQ(ComputeEnvelope(Rows(), 100, 42).sample, e.sample);
}

TEST(TrainingEnvelopeTest, KeptInTheReportAndReadBack) {
  const TrainingEnvelope e = ComputeEnvelope(Rows(), 50, 1);
  nlohmann::ordered_json report = {{"models", nlohmann::ordered_json::array()}};
  report["training_data"] = EnvelopeJson(e);
  ASSERT_OK_AND_ASSIGN(const std::optional<TrainingEnvelope> back,
                       EnvelopeFromReport(JsonText(report)));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->features[0].max, e.features[0].max);
  EXPECT_EQ(back->sample.size(), 50u);
  EXPECT_EQ(back->nn_p99, e.nn_p99);
  const double on[] = {50, 100};
  EXPECT_NEAR(back->NearestDistance(on), e.NearestDistance(on), 1e-3);

  // A model from before: no envelope, and that is no error.
  ASSERT_OK_AND_ASSIGN(const std::optional<TrainingEnvelope> old,
                       EnvelopeFromReport(R"({"models": []})"));
  EXPECT_FALSE(old.has_value());
  // A broken one is.
  EXPECT_EQ(EnvelopeFromReport(R"({"training_data": {"rows": 3}})").status().code(),
            StatusCode::kCorruption);

  // model show and the API list the envelope without its sample rows.
  RegisteredModel m;
  m.name = "m";
  m.report = JsonText(report);
  const nlohmann::ordered_json detail = ModelDetailJson(m);
  EXPECT_FALSE(detail["report"]["training_data"].contains("sample"));
  EXPECT_EQ(detail["report"]["training_data"]["sample_rows"], 50);
  EXPECT_EQ(detail["report"]["training_data"]["features"][0]["name"], "x");
}

}  // namespace
}  // namespace fh::ml
