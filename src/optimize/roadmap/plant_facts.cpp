#include "optimize/roadmap/plant_facts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "analytics/oee/oee_report.h"
#include "analytics/people/skill_gaps.h"
#include "analytics/quality_report.h"
#include "common/time.h"
#include "ml/model_registry.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::optimize {

namespace {

AssetFacts MeasureAsset(Hub& hub, const analytics::oee::OeeConfig& config, const std::string& path,
                        int64_t from, int64_t to) {
  using namespace analytics::oee;
  AssetFacts facts;
  OeeQuery query;
  query.path = path;
  query.window = {from, to};
  query.as_of = to;
  Result<OeeReport> report = ComputeOeeReport(hub, config, query);
  if (!report.ok()) {
    facts.error = report.status().message();
    return facts;
  }
  // The planned busy time in which the equipment recorded a state: a window longer than the
  // hub's history must not count the time it knows nothing of as lost.
  const OeeTotals& t = report->total.totals;
  facts.planned_busy_s = static_cast<double>(t.PlannedBusyNs() - t.unknown_ns) / 1e9;
  for (const ReasonLoss& r : report->reasons)
    if (!r.code.empty()) facts.stop_seconds[r.code] += r.seconds;
  const OeeKpis& k = report->total.kpis;
  // The availability of the observed time (the KPI counts unknown time as lost).
  if (facts.planned_busy_s > 0)
    facts.availability = static_cast<double>(k.apt_ns) / 1e9 / facts.planned_busy_s;
  facts.performance = k.performance;
  facts.quality = k.quality;
  if (facts.availability && k.performance && k.quality)
    facts.oee = *facts.availability * *k.performance * *k.quality;
  facts.scrap_ratio = k.scrap_ratio;
  if (!(facts.planned_busy_s > 0)) facts.error = "no recorded states in its shifts in the window";
  return facts;
}

ModelFacts MeasureModel(Hub& hub, const std::string& name) {
  ModelFacts facts;
  CatalogSession session = hub.OpenCatalog();
  ml::ModelRegistry registry(session.models());
  Result<ml::ModelRef> ref = ml::ParseModelRef(name);
  if (!ref.ok()) {
    facts.error = ref.status().message();
    return facts;
  }
  Result<ml::RegisteredModel> model = registry.Get(*ref);
  if (!model.ok()) {
    facts.error = model.status().message();
    return facts;
  }
  facts.label = model->label();
  const auto report = nlohmann::json::parse(model->report, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded() || !report.contains("models")) {
    facts.error = "its training report holds no cross-validated metrics";
    return facts;
  }
  for (const auto& m : report["models"]) {
    if (m.value("kind", "") != model->kind || !m.contains("cv")) continue;
    const auto& cv = m["cv"];
    for (const char* key : {"recall", "macro_recall"})
      if (cv.contains(key) && cv[key].is_number()) facts.recall = cv[key].get<double>();
    for (const char* key : {"precision", "macro_precision"})
      if (cv.contains(key) && cv[key].is_number()) facts.precision = cv[key].get<double>();
  }
  if (!facts.recall) facts.error = "it is not a classifier with a cross-validated recall";
  return facts;
}

DefectFacts MeasureDefects(Hub& hub, const EffectSpec& e, int64_t from, int64_t to) {
  DefectFacts facts;
  CatalogSession session = hub.OpenCatalog();
  InspectionFilter filter;
  filter.characteristic = e.characteristic;
  filter.range = {from, to};
  Result<std::vector<Inspection>> rows = session.catalog().ListInspections(filter);
  if (!rows.ok()) {
    facts.error = rows.status().message();
    return facts;
  }
  for (const Inspection& in : *rows) {
    ++facts.inspected;
    if (in.result != InspectionResult::kFail) continue;
    const bool counted = e.defect_codes.empty() ||
                         (in.defect_code && std::find(e.defect_codes.begin(), e.defect_codes.end(),
                                                      *in.defect_code) != e.defect_codes.end());
    facts.failed += counted;
  }
  if (facts.inspected == 0)
    facts.error = fmt::format("no inspections of '{}' in the window", e.characteristic);
  return facts;
}

}  // namespace

std::string DefectKey(const EffectSpec& e) {
  std::string key = e.characteristic;
  for (const std::string& code : e.defect_codes)
    key += "|" + code;
  return key;
}

Result<PlantFacts> MeasurePlant(Hub& hub, const Catalogue& catalogue, int64_t now) {
  PlantFacts facts;
  facts.window = catalogue.baseline_window;
  facts.to = now;
  if (!catalogue.baseline_to.empty()) {
    Result<int64_t> to = ParseTimePoint(catalogue.baseline_to, now);
    if (!to.ok()) return to.status().WithContext(catalogue.file + ": baseline.to");
    facts.to = *to;
  }
  if (!catalogue.baseline_from.empty()) {
    Result<int64_t> from = ParseTimePoint(catalogue.baseline_from, now);
    if (!from.ok()) return from.status().WithContext(catalogue.file + ": baseline.from");
    facts.from = *from;
    facts.window = FormatDuration(facts.to - facts.from);
  } else {
    Result<int64_t> window = ParseDuration(catalogue.baseline_window);
    if (!window.ok()) return window.status().WithContext(catalogue.file + ": baseline.window");
    facts.from = facts.to - *window;
  }
  if (facts.from >= facts.to)
    return InvalidArgument("{}: baseline: the window ends before it starts", catalogue.file);

  std::set<std::string> assets, models, mappings;
  bool people = catalogue.people_from_hub;
  for (const Measure& m : catalogue.measures) {
    for (const auto& [criterion, e] : m.effects) {
      if (e.from == "downtime" || e.from == "predictive_maintenance" || e.from == "scrap")
        assets.insert(e.asset);
      if (e.from == "predictive_maintenance") models.insert(e.model);
      if (e.from == "completeness") mappings.insert(e.mapping);
      if (e.from == "defects" && !facts.defects.count(DefectKey(e)))
        facts.defects[DefectKey(e)] = MeasureDefects(hub, e, facts.from, facts.to);
    }
    for (const auto& [q, n] : m.trains)
      people |= n == kTrainTheGap;
  }
  Result<analytics::oee::OeeConfig> oee =
      analytics::oee::OeeConfig::Load((hub.dir() / analytics::oee::kOeeConfigFile).string());
  if (oee.ok()) {
    facts.plant = MeasureAsset(hub, *oee, "", facts.from, facts.to);
    for (const std::string& path : assets)
      facts.assets[path] =
          path.empty() ? facts.plant : MeasureAsset(hub, *oee, path, facts.from, facts.to);
  } else {
    facts.plant.error = oee.status().message();
    for (const std::string& path : assets)
      facts.assets[path].error = oee.status().message();
  }
  for (const std::string& name : models)
    facts.models[name] = MeasureModel(hub, name);
  if (!mappings.empty()) {
    CatalogSession session = hub.OpenCatalog();
    Result<analytics::QualityReport> report =
        analytics::BuildQualityReport(session.governance(), hub.config().name);
    for (const std::string& name : mappings) {
      SourceFacts& source = facts.sources[name];
      if (!report.ok()) {
        source.error = report.status().message();
        continue;
      }
      source.error = "no import through this mapping";
      for (const analytics::SourceQuality& s : report->sources) {
        if (s.mapping != name) continue;
        source.completeness = s.current.dimensions.score[0];
        source.records = s.current.read;
        source.error = source.completeness ? "" : "its imports checked no completeness rule";
      }
    }
  }
  if (people) {
    Result<analytics::people::PeopleConfig> config = analytics::people::LoadPeopleConfig(hub);
    CatalogSession session = hub.OpenCatalog();
    analytics::people::GapOptions options;
    options.at = now;
    if (config.ok()) options.config = *config;
    Result<analytics::people::SkillGaps> gaps =
        config.ok() ? analytics::people::ComputeSkillGaps(session, options)
                    : Result<analytics::people::SkillGaps>(config.status());
    if (gaps.ok()) {
      facts.people_measured = true;
      for (const analytics::people::QualificationGap& q : gaps->qualifications)
        facts.qualifications[q.code] = {q.holders, q.shortfall, q.expiring};
    } else {
      facts.people_error = gaps.status().message();
    }
  }
  return facts;
}

}  // namespace fh::optimize
