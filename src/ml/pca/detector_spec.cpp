#include "ml/pca/detector_spec.h"

#include <array>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "analytics/definitions_file.h"

namespace fh::ml {
namespace {

using analytics::YamlError;

constexpr std::array<std::string_view, 13> kKeys = {
    "name", "kind",  "signals",  "columns",    "equipment", "normal", "hold",
    "lags", "alpha", "variance", "components", "holdout",   "running"};

}  // namespace

Result<DetectorSpec> DetectorSpec::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node n;
  try {
    n = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  if (!n.IsMap()) return YamlError(file, n, "a detector spec is a mapping (docs/anomaly.md)");
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return YamlError(file, kv.first, fmt::format("unknown key '{}'", key));
    }
  }
  DetectorSpec s;
  s.text = yaml;
  for (const char* key : {"name", "signals", "normal"}) {
    if (!n[key]) return YamlError(file, n, fmt::format("a detector spec needs {}", key));
  }
  FH_ASSIGN_OR_RETURN(s.name, analytics::YamlAs<std::string>(file, n["name"], "name", "a text"));
  if (n["kind"]) {
    FH_ASSIGN_OR_RETURN(std::string kind,
                        analytics::YamlAs<std::string>(file, n["kind"], "kind", "a text"));
    if (kind != "pca") return YamlError(file, n["kind"], "kind: pca is the one detector there is");
  }
  FH_ASSIGN_OR_RETURN(
      s.signals, analytics::YamlAs<std::string>(file, n["signals"], "signals", "a tag pattern"));
  if (s.signals.find("{column}") == std::string::npos) {
    return YamlError(file, n["signals"],
                     "signals: a tag pattern with {column}, e.g. line-1/press/{column}");
  }
  if (n["equipment"]) {
    FH_ASSIGN_OR_RETURN(
        s.equipment, analytics::YamlAs<std::string>(file, n["equipment"], "equipment", "a text"));
  }
  const YAML::Node normal = n["normal"];
  if (!normal.IsMap() || !normal["from"] || !normal["to"]) {
    return YamlError(file, normal,
                     "normal: {from: TIME, to: TIME}, the window of normal operation");
  }
  const int64_t now = NowNs();
  for (auto [key, out] : {std::pair{"from", &s.normal.from}, std::pair{"to", &s.normal.to}}) {
    FH_ASSIGN_OR_RETURN(std::string text,
                        analytics::YamlAs<std::string>(file, normal[key], key, "a time"));
    Result<int64_t> t = ParseTimePoint(text, now);
    if (!t.ok())
      return YamlError(file, normal[key], fmt::format("normal.{}: {}", key, t.status().message()));
    *out = *t;
  }
  if (s.normal.from >= s.normal.to)
    return YamlError(file, normal, "normal: from must be before to");
  if (n["hold"]) {
    FH_ASSIGN_OR_RETURN(std::string text,
                        analytics::YamlAs<std::string>(file, n["hold"], "hold", "a duration"));
    Result<int64_t> d = ParseDuration(text);
    if (!d.ok() || *d < 0) return YamlError(file, n["hold"], "hold: a duration such as 5s");
    s.hold_ns = *d;
  }
  if (n["lags"]) {
    FH_ASSIGN_OR_RETURN(s.pca.lags,
                        analytics::YamlAs<int>(file, n["lags"], "lags", "a whole number"));
  }
  if (n["alpha"]) {
    FH_ASSIGN_OR_RETURN(s.pca.alpha,
                        analytics::YamlAs<double>(file, n["alpha"], "alpha", "a number"));
  }
  if (n["variance"]) {
    FH_ASSIGN_OR_RETURN(s.pca.variance,
                        analytics::YamlAs<double>(file, n["variance"], "variance", "a number"));
  }
  if (n["components"]) {
    FH_ASSIGN_OR_RETURN(s.pca.components, analytics::YamlAs<int>(file, n["components"],
                                                                 "components", "a whole number"));
  }
  if (n["holdout"]) {
    FH_ASSIGN_OR_RETURN(s.holdout,
                        analytics::YamlAs<double>(file, n["holdout"], "holdout", "a number"));
    if (!(s.holdout >= 0 && s.holdout < 0.9)) {
      return YamlError(file, n["holdout"], "holdout: a share of the rows, 0 to 0.9");
    }
  }
  if (const YAML::Node columns = n["columns"]) {
    if (!columns.IsSequence() || columns.size() < 2) {
      return YamlError(file, columns, "columns: a list of two or more of the pattern's {column}s");
    }
    for (const YAML::Node& c : columns) {
      FH_ASSIGN_OR_RETURN(std::string name,
                          analytics::YamlAs<std::string>(file, c, "columns", "a name"));
      s.columns.push_back(std::move(name));
    }
  }
  if (const YAML::Node running = n["running"]) {
    if (!running.IsMap() || !running["signal"] || !running["above"] || running.size() != 2) {
      return YamlError(file, running,
                       "running: {signal: NAME, above: VALUE}, when the equipment runs");
    }
    FH_ASSIGN_OR_RETURN(s.running_signal, analytics::YamlAs<std::string>(
                                              file, running["signal"], "running.signal", "a name"));
    FH_ASSIGN_OR_RETURN(s.running_above, analytics::YamlAs<double>(file, running["above"],
                                                                   "running.above", "a number"));
  }
  if (s.pca.lags < 0 || s.pca.lags > 100) return YamlError(file, n["lags"], "lags: 0 to 100");
  if (!(s.pca.alpha > 0 && s.pca.alpha < 0.5)) {
    return YamlError(file, n["alpha"], "alpha: the false-alarm rate, above 0 and below 0.5");
  }
  if (!(s.pca.variance > 0 && s.pca.variance <= 1)) {
    return YamlError(file, n["variance"], "variance: a share above 0, at most 1");
  }
  if (s.pca.components < 0) return YamlError(file, n["components"], "components: at least 1");
  return s;
}

Result<DetectorSpec> DetectorSpec::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("{}: cannot read the detector spec", path);
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

}  // namespace fh::ml
