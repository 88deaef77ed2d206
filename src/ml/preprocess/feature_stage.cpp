#include "ml/preprocess/feature_stage.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace fh::ml {
namespace feature_stage_detail {

// The present values of feature j over `rows`.
std::vector<double> Present(const Dataset& data, std::span<const size_t> rows, size_t j) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (size_t i : rows) {
    const float x = data.x[i * data.cols() + j];
    if (!std::isnan(x)) v.push_back(x);
  }
  return v;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  return (*std::max_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid)) + upper) / 2;
}

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v)
    sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

}  // namespace feature_stage_detail

FeatureStage FeatureStage::Fit(const PreprocessSpec& spec, const Dataset& data,
                               std::span<const size_t> rows) {
  using namespace feature_stage_detail;
  FeatureStage s;
  s.inputs_ = data.features;
  s.impute_ = spec.impute;
  s.scale_ = spec.scale;
  const size_t f = data.cols();
  std::vector<std::vector<double>> present(f);
  for (size_t j = 0; j < f; ++j)
    present[j] = Present(data, rows, j);
  // Each feature standardised over the training rows, missing values at the mean (0): the
  // correlations of all pairs are then dot products.
  std::vector<std::vector<double>> z;
  if (spec.drop_correlated) z.resize(f);
  for (size_t j = 0; j < f; ++j) {
    const std::vector<double>& v = present[j];
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    if (spec.drop_constant && (v.empty() || *lo == *hi)) {
      s.dropped_.push_back({data.features[j], "constant"});
      continue;
    }
    if (spec.drop_correlated && !v.empty() && *lo != *hi) {
      const double mean = Mean(v);
      double ss = 0;
      for (double x : v)
        ss += (x - mean) * (x - mean);
      const double sd = std::sqrt(ss / static_cast<double>(rows.size()));
      std::vector<double>& col = z[j];
      col.reserve(rows.size());
      for (size_t i : rows) {
        const float x = data.x[i * f + j];
        col.push_back(std::isnan(x) ? 0.0 : (x - mean) / sd);
      }
      bool duplicate = false;
      for (size_t k : s.kept_) {
        if (z[k].empty()) continue;
        double dot = 0;
        for (size_t i = 0; i < col.size(); ++i)
          dot += col[i] * z[k][i];
        const double r = dot / static_cast<double>(col.size());
        if (std::abs(r) >= *spec.drop_correlated) {
          s.dropped_.push_back({data.features[j], fmt::format("correlated with {} (r = {:.4f})",
                                                              data.features[k], r)});
          duplicate = true;
          break;
        }
      }
      if (duplicate) {
        col.clear();
        continue;
      }
    }
    s.kept_.push_back(j);
  }
  for (size_t j : s.kept_) {
    const std::vector<double>& v = present[j];
    double fill = 0;
    if (s.impute_ == "mean") fill = Mean(v);
    if (s.impute_ == "median" || s.impute_ == "previous") fill = Median(v);
    s.fill_.push_back(fill);
    double offset = 0, factor = 1;
    if (s.scale_ == "standard" && !v.empty()) {
      offset = Mean(v);
      double ss = 0;
      for (double x : v)
        ss += (x - offset) * (x - offset);
      const double sd = std::sqrt(ss / static_cast<double>(v.size()));
      factor = sd > 0 ? sd : 1;
    } else if (s.scale_ == "minmax" && !v.empty()) {
      const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      offset = *lo;
      factor = *hi > *lo ? *hi - *lo : 1;
    }
    s.offset_.push_back(offset);
    s.factor_.push_back(factor);
  }
  return s;
}

Status FeatureStage::Apply(Dataset& data) const {
  if (data.features != inputs_) {
    return InvalidArgument(
        "preprocessing: the data has {} features, the fitted feature steps expect {}: the "
        "model's features changed",
        data.cols(), inputs_.size());
  }
  const size_t f = inputs_.size();
  const size_t k = kept_.size();
  const size_t n = data.rows();
  std::vector<float> x(n * k);
  std::vector<float> last(k, std::numeric_limits<float>::quiet_NaN());
  for (size_t i = 0; i < n; ++i) {
    // `previous` carries a unit's last present value; a new unit starts afresh.
    if (i == 0 || (!data.group.empty() && data.group[i] != data.group[i - 1])) {
      std::fill(last.begin(), last.end(), std::numeric_limits<float>::quiet_NaN());
    }
    for (size_t c = 0; c < k; ++c) {
      float v = data.x[i * f + kept_[c]];
      if (std::isnan(v) && !impute_.empty()) {
        v = impute_ == "previous" && !std::isnan(last[c]) ? last[c] : static_cast<float>(fill_[c]);
      } else if (!std::isnan(v)) {
        last[c] = v;
      }
      if (!std::isnan(v)) v = static_cast<float>((v - offset_[c]) / factor_[c]);
      x[i * k + c] = v;
    }
  }
  data.x = std::move(x);
  std::vector<std::string> names;
  for (size_t j : kept_)
    names.push_back(inputs_[j]);
  data.features = std::move(names);
  return Status::Ok();
}

nlohmann::ordered_json FeatureStage::ToJson() const {
  nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
  for (const Dropped& d : dropped_)
    dropped.push_back({{"feature", d.feature}, {"why", d.why}});
  std::vector<std::string> kept;
  for (size_t j : kept_)
    kept.push_back(inputs_[j]);
  return {{"inputs", inputs_}, {"kept", kept},     {"dropped", std::move(dropped)},
          {"impute", impute_}, {"fill", fill_},    {"scale", scale_},
          {"offset", offset_}, {"factor", factor_}};
}

Result<FeatureStage> FeatureStage::FromJson(const nlohmann::json& json) {
  FeatureStage s;
  try {
    s.inputs_ = json.at("inputs").get<std::vector<std::string>>();
    for (const std::string& name : json.at("kept").get<std::vector<std::string>>()) {
      const auto it = std::find(s.inputs_.begin(), s.inputs_.end(), name);
      if (it == s.inputs_.end()) {
        return Corruption("preprocessing: kept feature '{}' is not an input", name);
      }
      s.kept_.push_back(static_cast<size_t>(it - s.inputs_.begin()));
    }
    for (const nlohmann::json& d : json.at("dropped"))
      s.dropped_.push_back({d.at("feature").get<std::string>(), d.at("why").get<std::string>()});
    s.impute_ = json.at("impute").get<std::string>();
    s.fill_ = json.at("fill").get<std::vector<double>>();
    s.scale_ = json.at("scale").get<std::string>();
    s.offset_ = json.at("offset").get<std::vector<double>>();
    s.factor_ = json.at("factor").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    return Corruption("preprocessing: the stored feature steps do not read back: {}", e.what());
  }
  const size_t k = s.kept_.size();
  if (s.fill_.size() != k || s.offset_.size() != k || s.factor_.size() != k) {
    return Corruption("preprocessing: the stored feature steps have inconsistent sizes");
  }
  return s;
}

}  // namespace fh::ml
