#include "ml/pca/detector_training.h"

#include <cmath>
#include <limits>

#include "common/json_text.h"
#include "common/time.h"
#include "store/catalog_session.h"

namespace fh::ml {

Result<TrainedDetector> TrainDetector(const DetectorSpec& spec, const AlignedSignals& normal) {
  // The units' fitting rows end to end, `lags` missing rows between them so that no window
  // spans two units; the held-out rows of each unit apart.
  const size_t m = normal.signals.size();
  std::vector<std::vector<double>> fit(m);
  AlignedSignals held;
  held.signals = normal.signals;
  for (const AlignedSignals::Unit& u : normal.units) {
    const size_t n = u.time.size();
    const auto cut = static_cast<size_t>(std::floor(static_cast<double>(n) * (1 - spec.holdout)));
    for (size_t s = 0; s < m; ++s) {
      if (!fit[s].empty()) {
        fit[s].insert(fit[s].end(), static_cast<size_t>(spec.pca.lags),
                      std::numeric_limits<double>::quiet_NaN());
      }
      fit[s].insert(fit[s].end(), u.columns[s].begin(),
                    u.columns[s].begin() + static_cast<std::ptrdiff_t>(cut));
    }
    if (cut < n) {
      AlignedSignals::Unit h;
      h.unit = u.unit;
      // The held-out rows start `lags` rows early, for their windows (those rows unscored).
      const size_t from = cut >= static_cast<size_t>(spec.pca.lags) ? cut - spec.pca.lags : 0;
      h.time.assign(u.time.begin() + static_cast<std::ptrdiff_t>(from), u.time.end());
      for (size_t s = 0; s < m; ++s)
        h.columns.emplace_back(u.columns[s].begin() + static_cast<std::ptrdiff_t>(from),
                               u.columns[s].end());
      held.units.push_back(std::move(h));
    }
  }
  Result<PcaDetector> d = PcaDetector::Train(normal.signals, fit, spec.pca);
  if (!d.ok()) {
    return d.status().WithContext(
        fmt::format("{} over the normal window ({} rows with every signal, {} held out)",
                    spec.signals, normal.rows(), spec.holdout));
  }
  TrainedDetector out{std::move(*d)};
  double t2 = 0, spe = 0, either = 0;
  for (const ScoredRow& r : ScoreAligned(out.detector, held, 0)) {
    ++out.held_out;
    t2 += r.beyond_t2;
    spe += r.beyond_spe;
    either += r.beyond_t2 || r.beyond_spe;
  }
  if (out.held_out > 0) {
    const auto n = static_cast<double>(out.held_out);
    out.beyond_t2 = t2 / n;
    out.beyond_spe = spe / n;
    out.beyond_either = either / n;
  }
  return out;
}

nlohmann::ordered_json DetectorReportJson(const TrainedDetector& t) {
  const PcaDetector& d = t.detector;
  nlohmann::ordered_json j;
  j["signals"] = d.signals();
  j["lags"] = d.lags();
  j["components"] = d.components();
  j["explained"] = d.explained();
  j["rows"] = d.rows();
  j["alpha"] = d.alpha();
  j["t2_limit"] = d.t2_limit();
  j["spe_limit"] = d.spe_limit();
  j["held_out"] = t.held_out;
  j["false_alarms"] = {{"t2", t.beyond_t2}, {"spe", t.beyond_spe}, {"either", t.beyond_either}};
  return j;
}

Result<DetectorTraining> TrainDetectorOnHub(Hub& hub, const DetectorSpec& spec, bool store) {
  FH_ASSIGN_OR_RETURN(DetectorRows normal,
                      ReadDetectorRows(hub.storage(), spec, spec.normal,
                                       spec.columns.empty() ? nullptr : &spec.columns));
  DetectorTraining out;
  FH_ASSIGN_OR_RETURN(out.trained, TrainDetector(spec, normal.data));
  out.report = DetectorReportJson(out.trained);
  if (!spec.running_signal.empty()) out.report["stopped_rows"] = normal.stopped;
  out.report["normal"] = {{"from", FormatRfc3339(spec.normal.from)},
                          {"to", FormatRfc3339(spec.normal.to)}};
  if (!store) return out;
  RegisteredModel m;
  m.name = spec.name;
  m.kind = "pca";
  m.task = Task::kAnomaly;
  m.spec = spec.text;
  for (const std::string& s : out.trained.detector.signals())
    m.features.push_back({.kind = FeatureSpec::Kind::kColumn, .name = s, .column = s});
  m.report = JsonText(out.report);
  m.training_rows = static_cast<int64_t>(out.trained.detector.rows());
  m.data = JsonText(out.trained.detector.ToJson());
  CatalogSession session = hub.OpenCatalog();
  ModelRegistry registry(session.models());
  FH_ASSIGN_OR_RETURN(out.stored, registry.RegisterTrainedOn(std::move(m), normal.data.tags));
  out.report["stored_as"] = out.stored->label();
  return out;
}

}  // namespace fh::ml
