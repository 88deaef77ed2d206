#include "ml/training_envelope.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ml/split.h"

namespace fh::ml {
namespace {

// The q-quantile of sorted values, linearly interpolated (numpy's default).
double SortedQuantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double at = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(at));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - static_cast<double>(lo));
}

double Distance(std::span<const float> a, std::span<const double> b) {
  double sum = 0;
  for (size_t j = 0; j < a.size(); ++j) {
    const double d = static_cast<double>(a[j]) - b[j];
    sum += d * d;
  }
  return std::sqrt(sum);
}

// Four decimals of a standardised value are plenty for a distance, and keep the stored
// report small (256 rows x the features).
double Round4(double v) {
  return std::round(v * 1e4) / 1e4;
}

}  // namespace

double TrainingEnvelope::NearestDistance(std::span<const double> row) const {
  std::vector<double> z(features.size());
  for (size_t j = 0; j < features.size() && j < row.size(); ++j) {
    z[j] = std::isnan(row[j]) ? 0 : (row[j] - features[j].mean) / features[j].std;
  }
  double best = std::numeric_limits<double>::infinity();
  for (const std::vector<float>& s : sample)
    best = std::min(best, Distance(s, z));
  return best;
}

TrainingEnvelope ComputeEnvelope(const Dataset& data, size_t sample_rows, uint64_t seed) {
  TrainingEnvelope e;
  const size_t n = data.rows(), k = data.cols();
  e.rows = static_cast<int64_t>(n);
  std::vector<double> values;
  for (size_t j = 0; j < k; ++j) {
    FeatureRange f;
    f.name = data.features[j];
    values.clear();
    for (size_t i = 0; i < n; ++i) {
      const float v = data.x[i * k + j];
      if (!std::isnan(v)) values.push_back(v);
    }
    std::sort(values.begin(), values.end());
    if (!values.empty()) {
      f.min = values.front();
      f.max = values.back();
      f.p01 = SortedQuantile(values, 0.01);
      f.p99 = SortedQuantile(values, 0.99);
      f.mean =
          std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
      double ss = 0;
      for (double v : values)
        ss += (v - f.mean) * (v - f.mean);
      f.std = std::sqrt(ss / static_cast<double>(values.size()));
      if (!(f.std > 1e-12)) f.std = 1;
    }
    e.features.push_back(std::move(f));
  }
  if (n == 0) return e;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  SplitMix64 rng(seed);
  Shuffle(order, rng);
  const size_t m = std::min(sample_rows, n);
  auto standardised = [&](size_t i) {
    std::vector<double> z(k);
    for (size_t j = 0; j < k; ++j) {
      const float v = data.x[i * k + j];
      z[j] = std::isnan(v) ? 0 : Round4((v - e.features[j].mean) / e.features[j].std);
    }
    return z;
  };
  for (size_t s = 0; s < m; ++s) {
    const std::vector<double> z = standardised(order[s]);
    e.sample.emplace_back(z.begin(), z.end());
  }
  // The reference: rows the sample does not hold, measured as a new row would be.
  std::vector<double> nn;
  const size_t others = n - m, step = std::max<size_t>(1, others / 2000);
  for (size_t s = m; s < n; s += step) {
    const std::vector<double> z = standardised(order[s]);
    double best = std::numeric_limits<double>::infinity();
    for (const std::vector<float>& row : e.sample)
      best = std::min(best, Distance(row, z));
    nn.push_back(best);
  }
  std::sort(nn.begin(), nn.end());
  if (!nn.empty()) {
    e.nn_median = SortedQuantile(nn, 0.5);
    e.nn_p95 = SortedQuantile(nn, 0.95);
    e.nn_p99 = SortedQuantile(nn, 0.99);
  }
  return e;
}

nlohmann::ordered_json EnvelopeJson(const TrainingEnvelope& e) {
  nlohmann::ordered_json features = nlohmann::ordered_json::array();
  for (const FeatureRange& f : e.features) {
    features.push_back({{"name", f.name},
                        {"min", f.min},
                        {"max", f.max},
                        {"p01", f.p01},
                        {"p99", f.p99},
                        {"mean", f.mean},
                        {"std", f.std}});
  }
  nlohmann::ordered_json sample = nlohmann::ordered_json::array();
  for (const std::vector<float>& row : e.sample) {
    nlohmann::ordered_json r = nlohmann::ordered_json::array();
    for (float v : row)
      r.push_back(Round4(v));
    sample.push_back(std::move(r));
  }
  return {{"rows", e.rows},
          {"features", std::move(features)},
          {"nn_distance", {{"median", e.nn_median}, {"p95", e.nn_p95}, {"p99", e.nn_p99}}},
          {"sample", std::move(sample)}};
}

Result<std::optional<TrainingEnvelope>> EnvelopeFromReport(std::string_view report_json) {
  const nlohmann::json report = nlohmann::json::parse(report_json, nullptr, false);
  if (!report.is_object() || !report.contains("training_data"))
    return std::optional<TrainingEnvelope>();
  const nlohmann::json& j = report["training_data"];
  try {
    TrainingEnvelope e;
    e.rows = j.at("rows").get<int64_t>();
    for (const nlohmann::json& f : j.at("features")) {
      e.features.push_back({f.at("name").get<std::string>(), f.at("min").get<double>(),
                            f.at("max").get<double>(), f.at("p01").get<double>(),
                            f.at("p99").get<double>(), f.at("mean").get<double>(),
                            f.at("std").get<double>()});
    }
    for (const nlohmann::json& row : j.at("sample")) {
      std::vector<float> r;
      for (const nlohmann::json& v : row)
        r.push_back(v.get<float>());
      if (r.size() != e.features.size()) {
        return Corruption("training_data: a sample row of {} values for {} features", r.size(),
                          e.features.size());
      }
      e.sample.push_back(std::move(r));
    }
    const nlohmann::json& nn = j.at("nn_distance");
    e.nn_median = nn.at("median").get<double>();
    e.nn_p95 = nn.at("p95").get<double>();
    e.nn_p99 = nn.at("p99").get<double>();
    return std::optional<TrainingEnvelope>(std::move(e));
  } catch (const nlohmann::json::exception& ex) {
    return Corruption("training_data of the model's report: {}", ex.what());
  }
}

}  // namespace fh::ml
