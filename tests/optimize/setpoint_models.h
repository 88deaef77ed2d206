// Registered models for the set-point tests, trained here on synthetic data whose optimum is
// known: what OptimizeSetpoints needs (features, the model's bytes, the report with the
// training data's envelope), without a hub.
#pragma once

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json_text.h"
#include "ml/linear_model.h"
#include "ml/model_registry.h"
#include "ml/split.h"
#include "ml/training_envelope.h"
#include "ml/xgboost_model.h"

namespace fh::testing {

// Rows of two inputs x1, x2 uniform in [-1, 1] (a grid-free seeded draw) and a label.
inline ml::Dataset TwoInputs(size_t rows, uint64_t seed,
                             const std::function<double(double, double, ml::SplitMix64&)>& label) {
  ml::Dataset d;
  d.features = {"x1", "x2"};
  ml::SplitMix64 rng(seed);
  for (size_t i = 0; i < rows; ++i) {
    const double x1 = static_cast<double>(rng.Below(2000001)) / 1e6 - 1;
    const double x2 = static_cast<double>(rng.Below(2000001)) / 1e6 - 1;
    d.x.push_back(static_cast<float>(x1));
    d.x.push_back(static_cast<float>(x2));
    d.y.push_back(label(x1, x2, rng));
    d.time.push_back(static_cast<int64_t>(i));
  }
  return d;
}

inline std::vector<ml::FeatureSpec> Columns(const std::vector<std::string>& names) {
  std::vector<ml::FeatureSpec> out;
  for (const std::string& n : names)
    out.push_back({ml::FeatureSpec::Kind::kColumn, n, n});
  return out;
}

// A registered model of `fitted`, trained on `d` with `features`; with the envelope unless
// `envelope` is false (a model from before envelopes were kept).
inline ml::RegisteredModel Register(const ml::Model& fitted, ml::Task task, const ml::Dataset& d,
                                    std::vector<ml::FeatureSpec> features, bool envelope = true) {
  ml::RegisteredModel m;
  m.name = "synthetic";
  m.version = 1;
  m.kind = std::string(fitted.kind());
  m.task = task;
  m.spec = "name: synthetic\ndata: { tags: \"t/{column}\" }\nlabel: y\n";
  m.features = std::move(features);
  nlohmann::ordered_json report = {{"models", nlohmann::ordered_json::array()}};
  if (envelope) report["training_data"] = ml::EnvelopeJson(ml::ComputeEnvelope(d));
  m.report = JsonText(report);
  m.training_rows = static_cast<int64_t>(d.rows());
  Result<std::string> bytes = fitted.Save();
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (bytes.ok()) m.data = *bytes;
  return m;
}

inline double Sigmoid(double z) {
  return 1 / (1 + std::exp(-z));
}

}  // namespace fh::testing
