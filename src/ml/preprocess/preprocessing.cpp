#include "ml/preprocess/preprocessing.h"

#include <fmt/ranges.h>

#include "ml/dataset_builder.h"

namespace fh::ml {

size_t RowCount(const ColumnData& raw) {
  size_t n = 0;
  for (const UnitColumns& u : raw.units)
    n += u.time.size();
  return n;
}

Result<Dataset> Preprocessing::Apply(ColumnData raw, const std::vector<FeatureSpec>& specs,
                                     const LabelSpec* label) const {
  if (columns) FH_RETURN_IF_ERROR(columns->Apply(raw));
  FH_ASSIGN_OR_RETURN(Dataset d, ComputeDataset(raw, specs, label));
  if (features) FH_RETURN_IF_ERROR(features->Apply(d));
  return d;
}

nlohmann::ordered_json Preprocessing::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (columns) out["columns"] = columns->ToJson();
  if (features) out["features"] = features->ToJson();
  return out;
}

std::vector<std::string> Preprocessing::Describe() const {
  std::vector<std::string> out;
  const nlohmann::ordered_json j = ToJson();
  if (j.contains("columns") && j["columns"].contains("regimes")) {
    const nlohmann::ordered_json& r = j["columns"]["regimes"];
    std::string counts;
    for (const auto& c : r["training_rows"])
      counts += fmt::format("{}{}", counts.empty() ? "" : ", ", c.get<int64_t>());
    if (r.contains("column")) {
      out.push_back(fmt::format("regimes: {} codes of column {} (training rows per regime: {})",
                                r["regimes"].get<int>(), r["column"].get<std::string>(), counts));
    } else {
      out.push_back(fmt::format(
          "regimes: {} learned by k-means over {} (silhouette {:.3f}; training rows per regime: "
          "{}), in column {}",
          r["regimes"].get<int>(), fmt::join(r["settings"].get<std::vector<std::string>>(), ", "),
          r["silhouette"].get<double>(), counts, r["name"].get<std::string>()));
    }
  }
  if (j.contains("columns") && j["columns"].contains("normalize")) {
    const nlohmann::ordered_json& n = j["columns"]["normalize"];
    out.push_back(fmt::format("normalize: {} columns, {} {}", n["columns"].size(),
                              n["method"].get<std::string>(),
                              n["by"] == "regime" ? "per regime" : "over all rows"));
  }
  if (j.contains("features")) {
    const nlohmann::ordered_json& f = j["features"];
    if (!f["dropped"].empty()) {
      std::string list;
      for (const auto& d : f["dropped"]) {
        list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", d["feature"].get<std::string>(),
                            d["why"].get<std::string>());
      }
      out.push_back(fmt::format("drop: {} of {} features: {}", f["dropped"].size(),
                                f["inputs"].size(), list));
    }
    if (!f["impute"].get<std::string>().empty()) {
      out.push_back(
          fmt::format("impute: missing values by the {}", f["impute"].get<std::string>()));
    }
    if (!f["scale"].get<std::string>().empty()) {
      out.push_back(fmt::format("scale: {}", f["scale"].get<std::string>()));
    }
  }
  return out;
}

Result<Preprocessing> Preprocessing::FromJson(std::string_view json) {
  Preprocessing p;
  if (json.empty()) return p;
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Corruption("preprocessing: the stored steps are not a JSON object");
  if (doc.contains("columns")) {
    FH_ASSIGN_OR_RETURN(ColumnStage c, ColumnStage::FromJson(doc["columns"]));
    p.columns = std::move(c);
  }
  if (doc.contains("features")) {
    FH_ASSIGN_OR_RETURN(FeatureStage f, FeatureStage::FromJson(doc["features"]));
    p.features = std::move(f);
  }
  return p;
}

Result<PreparedData> FitPreprocessing(const TrainingSpec& spec, const ColumnData& raw,
                                      const std::vector<FeatureSpec>& features,
                                      std::span<const size_t> train_rows) {
  PreparedData out;
  const PreprocessSpec& p = spec.preprocess;
  if (!p.columns()) {
    FH_ASSIGN_OR_RETURN(out.data, ComputeDataset(raw, features, &spec.label));
  } else {
    FH_ASSIGN_OR_RETURN(ColumnStage stage, ColumnStage::Fit(p, raw, train_rows, spec.split.seed));
    ColumnData copy = raw;
    FH_RETURN_IF_ERROR(stage.Apply(copy));
    out.fitted.columns = std::move(stage);
    FH_ASSIGN_OR_RETURN(out.data, ComputeDataset(copy, features, &spec.label));
  }
  if (!p.impute.empty() || !p.scale.empty() || p.drop_constant || p.drop_correlated) {
    FeatureStage stage = FeatureStage::Fit(p, out.data, train_rows);
    FH_RETURN_IF_ERROR(stage.Apply(out.data));
    out.fitted.features = std::move(stage);
  }
  return out;
}

}  // namespace fh::ml
