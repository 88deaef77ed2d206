#include "ml/preprocess/column_stage.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace fh::ml {
namespace column_stage_detail {

// A regime column holds a few codes; more than this is a measurement, not a regime.
constexpr size_t kMaxCodes = 100;
// Rows the silhouette of each k is measured on: its cost is quadratic in them.
constexpr size_t kSilhouetteSample = 1000;
// `k: auto` keeps one regime unless the best k's clusters are at least this well separated:
// a single-regime fleet has no clusters to find.
constexpr double kMinSilhouette = 0.5;

Status CheckColumn(const ColumnData& data, const std::string& column, std::string_view what) {
  if (data.has(column)) return Status::Ok();
  return InvalidArgument("preprocess: {}: no column '{}' in the data (columns: {})", what, column,
                         data.list());
}

std::vector<size_t> Iota(size_t n) {
  std::vector<size_t> v(n);
  std::iota(v.begin(), v.end(), size_t{0});
  return v;
}

// k given, or the k of 2..max_k whose clusters have the best silhouette on a sample of the
// training rows (one regime when none reaches kMinSilhouette).
Result<RegimeModel> LearnRegimes(const RegimeSpec& spec, const Dataset& settings,
                                 std::span<const size_t> rows, uint64_t seed, double* silhouette) {
  const std::vector<size_t> columns = Iota(settings.cols());
  KMeansOptions options;
  options.seed = spec.seed != 0 ? spec.seed : seed;
  std::vector<size_t> sample(rows.begin(), rows.end());
  std::shuffle(sample.begin(), sample.end(), std::mt19937_64(options.seed));
  sample.resize(std::min(sample.size(), kSilhouetteSample));
  if (spec.k > 0) {
    options.k = spec.k;
    FH_ASSIGN_OR_RETURN(RegimeModel m, FitRegimes(settings, rows, columns, options));
    *silhouette = MeanSilhouette(m, settings, sample);
    return m;
  }
  std::optional<RegimeModel> best;
  double best_score = -1;
  for (int k = 2; k <= spec.max_k; ++k) {
    options.k = k;
    Result<RegimeModel> m = FitRegimes(settings, rows, columns, options);
    if (!m.ok()) break;  // fewer rows than k
    const double score = MeanSilhouette(*m, settings, sample);
    if (score > best_score) {
      best_score = score;
      best = std::move(*m);
    }
  }
  if (best && best_score >= kMinSilhouette) {
    *silhouette = best_score;
    return std::move(*best);
  }
  options.k = 1;
  *silhouette = 0;
  return FitRegimes(settings, rows, columns, options);
}

nlohmann::ordered_json Matrix(const std::vector<std::vector<double>>& m) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const std::vector<double>& row : m)
    out.push_back(row);
  return out;
}

}  // namespace column_stage_detail

std::vector<std::string> RegimeColumns(const std::string& name) {
  return {name, name + "_rows"};
}

Dataset FlattenColumns(const ColumnData& data, const std::vector<std::string>& columns) {
  Dataset d;
  d.features = columns;
  size_t rows = 0;
  for (const UnitColumns& u : data.units)
    rows += u.time.size();
  d.x.assign(rows * columns.size(), std::numeric_limits<float>::quiet_NaN());
  d.y.assign(rows, kMissing);
  size_t at = 0;
  for (const UnitColumns& u : data.units) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const auto it = u.columns.find(columns[c]);
      if (it == u.columns.end()) continue;
      for (size_t i = 0; i < u.time.size(); ++i)
        d.x[(at + i) * columns.size() + c] = static_cast<float>(it->second[i]);
    }
    at += u.time.size();
  }
  return d;
}

Result<ColumnStage> ColumnStage::Fit(const PreprocessSpec& spec, const ColumnData& data,
                                     std::span<const size_t> rows, uint64_t seed) {
  using namespace column_stage_detail;
  ColumnStage s;
  std::vector<int> regime_of_row;
  if (spec.regimes) {
    const RegimeSpec& r = *spec.regimes;
    s.name_ = r.name;
    if (data.has(r.name) && r.name != r.column) {
      return InvalidArgument(
          "preprocess: regimes: the data already has a column '{}': name the regimes' column "
          "another way (regimes: {{name: ...}})",
          r.name);
    }
    if (!r.column.empty()) {
      FH_RETURN_IF_ERROR(CheckColumn(data, r.column, "regimes: column"));
      s.source_ = r.column;
      const Dataset codes = FlattenColumns(data, {r.column});
      std::vector<double> seen;
      for (size_t i : rows) {
        if (!std::isnan(codes.x[i])) seen.push_back(codes.x[i]);
      }
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      if (seen.empty()) {
        return InvalidArgument("preprocess: regimes: column '{}' has no value in the training rows",
                               r.column);
      }
      if (seen.size() > kMaxCodes) {
        return InvalidArgument(
            "preprocess: regimes: column '{}' has {} distinct values in the training rows; a "
            "regime column holds a few codes (at most {}): learn regimes from settings instead",
            r.column, seen.size(), kMaxCodes);
      }
      s.codes_ = std::move(seen);
      s.regimes_ = static_cast<int>(s.codes_.size());
    } else {
      for (const std::string& c : r.settings)
        FH_RETURN_IF_ERROR(CheckColumn(data, c, "regimes: settings"));
      s.settings_ = r.settings;
      const Dataset settings = FlattenColumns(data, r.settings);
      Result<RegimeModel> m = LearnRegimes(r, settings, rows, seed, &s.silhouette_);
      if (!m.ok()) return m.status().WithContext("preprocess");
      s.model_ = std::move(*m);
      s.regimes_ = static_cast<int>(s.model_.centres.size());
    }
    regime_of_row = s.RegimesOf(data);
    s.rows_per_regime_.assign(static_cast<size_t>(s.regimes_), 0);
    for (size_t i : rows) {
      if (regime_of_row[i] >= 0) ++s.rows_per_regime_[static_cast<size_t>(regime_of_row[i])];
    }
  }
  if (spec.normalize) {
    const NormalizeSpec& n = *spec.normalize;
    for (const std::string& c : n.columns)
      FH_RETURN_IF_ERROR(CheckColumn(data, c, "normalize: columns"));
    s.normalized_ = n.columns;
    s.minmax_ = n.minmax;
    s.per_regime_ = n.per_regime && s.regimes_ > 0;
    const Dataset values = FlattenColumns(data, n.columns);
    if (!s.per_regime_) regime_of_row.assign(values.rows(), -1);
    const RegimeNormalizer fitted = RegimeNormalizer::Fit(
        values, rows, regime_of_row, Iota(values.cols()),
        n.minmax ? RegimeScaling::kMinMax : RegimeScaling::kZScore, s.per_regime_ ? s.regimes_ : 0);
    s.offset_ = fitted.offset();
    s.scale_ = fitted.scale();
  }
  return s;
}

std::vector<int> ColumnStage::RegimesOf(const ColumnData& data) const {
  if (!source_.empty()) {
    const Dataset codes = FlattenColumns(data, {source_});
    std::vector<int> out(codes.rows(), -1);
    for (size_t i = 0; i < codes.rows(); ++i) {
      const double v = codes.x[i];
      const auto it = std::lower_bound(codes_.begin(), codes_.end(), v);
      if (it != codes_.end() && *it == v) out[i] = static_cast<int>(it - codes_.begin());
    }
    return out;
  }
  return model_.AssignAll(FlattenColumns(data, settings_));
}

Status ColumnStage::Apply(ColumnData& data) const {
  std::vector<int> regime_of_row;
  if (!name_.empty()) regime_of_row = RegimesOf(data);
  const size_t all = offset_.empty() ? 0 : offset_.size() - 1;
  size_t at = 0;
  for (UnitColumns& u : data.units) {
    const size_t n = u.time.size();
    if (!name_.empty()) {
      std::vector<double> regime(n), since(n);
      for (size_t i = 0; i < n; ++i) {
        const int r = regime_of_row[at + i];
        regime[i] = r >= 0 ? static_cast<double>(r) : kMissing;
        since[i] = i > 0 && regime_of_row[at + i - 1] == r ? since[i - 1] + 1 : 0;
      }
      const std::vector<std::string> names = RegimeColumns(name_);
      u.columns[names[0]] = std::move(regime);
      u.columns[names[1]] = std::move(since);
    }
    for (size_t c = 0; c < normalized_.size(); ++c) {
      const auto it = u.columns.find(normalized_[c]);
      if (it == u.columns.end()) continue;
      for (size_t i = 0; i < n; ++i) {
        double& v = it->second[i];
        if (std::isnan(v)) continue;
        const int r = per_regime_ ? regime_of_row[at + i] : -1;
        const size_t g = r >= 0 && static_cast<size_t>(r) < all ? static_cast<size_t>(r) : all;
        v = (v - offset_[g][c]) / scale_[g][c];
      }
    }
    at += n;
  }
  if (!name_.empty()) {
    for (const std::string& added : RegimeColumns(name_)) {
      const auto it = std::lower_bound(data.columns.begin(), data.columns.end(), added);
      if (it == data.columns.end() || *it != added) data.columns.insert(it, added);
    }
  }
  return Status::Ok();
}

nlohmann::ordered_json ColumnStage::ToJson() const {
  using column_stage_detail::Matrix;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (!name_.empty()) {
    nlohmann::ordered_json r = {{"name", name_}, {"regimes", regimes_}};
    if (!source_.empty()) {
      r["column"] = source_;
      r["codes"] = codes_;
    } else {
      r["settings"] = settings_;
      r["silhouette"] = silhouette_;
      r["mean"] = model_.mean;
      r["scale"] = model_.scale;
      r["centres"] = Matrix(model_.centres);
    }
    r["training_rows"] = rows_per_regime_;
    out["regimes"] = std::move(r);
  }
  if (!normalized_.empty()) {
    out["normalize"] = {{"columns", normalized_},
                        {"method", minmax_ ? "minmax" : "zscore"},
                        {"by", per_regime_ ? "regime" : "all"},
                        {"offset", Matrix(offset_)},
                        {"scale", Matrix(scale_)}};
  }
  return out;
}

Result<ColumnStage> ColumnStage::FromJson(const nlohmann::json& json) {
  ColumnStage s;
  try {
    if (json.contains("regimes")) {
      const nlohmann::json& r = json.at("regimes");
      s.name_ = r.at("name").get<std::string>();
      s.regimes_ = r.at("regimes").get<int>();
      if (r.contains("column")) {
        s.source_ = r.at("column").get<std::string>();
        s.codes_ = r.at("codes").get<std::vector<double>>();
      } else {
        s.settings_ = r.at("settings").get<std::vector<std::string>>();
        s.silhouette_ = r.at("silhouette").get<double>();
        s.model_.mean = r.at("mean").get<std::vector<double>>();
        s.model_.scale = r.at("scale").get<std::vector<double>>();
        s.model_.centres = r.at("centres").get<std::vector<std::vector<double>>>();
        s.model_.columns = column_stage_detail::Iota(s.settings_.size());
      }
      s.rows_per_regime_ = r.at("training_rows").get<std::vector<int64_t>>();
    }
    if (json.contains("normalize")) {
      const nlohmann::json& n = json.at("normalize");
      s.normalized_ = n.at("columns").get<std::vector<std::string>>();
      s.minmax_ = n.at("method").get<std::string>() == "minmax";
      s.per_regime_ = n.at("by").get<std::string>() == "regime";
      s.offset_ = n.at("offset").get<std::vector<std::vector<double>>>();
      s.scale_ = n.at("scale").get<std::vector<std::vector<double>>>();
    }
  } catch (const nlohmann::json::exception& e) {
    return Corruption("preprocessing: the stored column steps do not read back: {}", e.what());
  }
  const size_t groups = static_cast<size_t>(s.per_regime_ ? s.regimes_ : 0) + 1;
  bool ok = s.model_.mean.size() == s.settings_.size() &&
            s.model_.scale.size() == s.settings_.size() &&
            (s.normalized_.empty() || (s.offset_.size() == groups && s.scale_.size() == groups));
  for (const std::vector<double>& c : s.model_.centres)
    ok = ok && c.size() == s.settings_.size();
  for (size_t g = 0; g < s.offset_.size() && ok; ++g)
    ok = s.offset_[g].size() == s.normalized_.size() && s.scale_[g].size() == s.normalized_.size();
  if (!ok) return Corruption("preprocessing: the stored column steps have inconsistent sizes");
  return s;
}

}  // namespace fh::ml
