#include "ml/alarms.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_text.h"
#include "common/time.h"

namespace fh::ml {

namespace {

std::string EquipmentOf(const std::string& pattern, const std::string& unit) {
  if (pattern.empty()) return unit.empty() ? std::string("(unit)") : unit;
  std::string out = pattern;
  for (size_t at = out.find("{unit}"); at != std::string::npos; at = out.find("{unit}", at)) {
    out.replace(at, 6, unit);
    at += unit.size();
  }
  return out;
}

}  // namespace

Result<int64_t> RaiseAlarms(AlarmStore& store, const RegisteredModel& model,
                            const std::vector<Prediction>& predictions,
                            const std::string& equipment) {
  if (model.task == Task::kRegression) {
    return InvalidArgument("model {}: alarms come from binary or multi-class models",
                           model.label());
  }
  const std::string label = model.label();
  const int64_t now = NowNs();
  std::vector<StoredAlarm> alarms;
  for (const Prediction& p : predictions) {
    if (!p.positive.value_or(false)) continue;
    StoredAlarm a;
    a.model = label;
    a.model_name = model.name;
    a.equipment = EquipmentOf(equipment, p.unit);
    a.ts = p.time;
    a.probability = p.score;
    if (model.task == Task::kBinary) a.threshold = model.threshold.value_or(0.5);
    a.reasons_json = JsonText(ReasonsJson(p.reasons));
    a.predicted_class = p.predicted_class;
    a.created_at = now;
    alarms.push_back(std::move(a));
  }
  return store.Raise(alarms);
}

Result<std::vector<Alarm>> ListAlarms(AlarmStore& store, int64_t limit, std::string_view scope,
                                      std::string_view model) {
  FH_ASSIGN_OR_RETURN(std::vector<StoredAlarm> rows, store.List(limit, scope, model));
  std::vector<Alarm> out;
  out.reserve(rows.size());
  for (StoredAlarm& row : rows) {
    Alarm a;
    a.id = row.id;
    a.model = std::move(row.model);
    a.equipment = std::move(row.equipment);
    a.ts = row.ts;
    a.probability = row.probability;
    a.threshold = row.threshold;
    const nlohmann::json reasons = nlohmann::json::parse(row.reasons_json, nullptr, false);
    if (!reasons.is_array()) return Corruption("alarm {}: damaged reasons", a.id);
    for (const auto& r : reasons) {
      if (!r.is_object() || !r.contains("value")) {
        return Corruption("alarm {}: damaged reasons", a.id);
      }
      a.reasons.push_back({r.value("feature", ""),
                           r["value"].is_number() ? r["value"].get<double>() : NAN,
                           r.value("contribution", 0.0)});
    }
    a.status = std::move(row.status);
    a.created_at = row.created_at;
    a.predicted_class = std::move(row.predicted_class);
    out.push_back(std::move(a));
  }
  return out;
}

nlohmann::ordered_json AlarmJson(const Alarm& a) {
  using J = nlohmann::ordered_json;
  return {{"id", a.id},
          {"model", a.model},
          {"equipment", a.equipment},
          {"time", FormatRfc3339(a.ts)},
          {"class", a.predicted_class.empty() ? J(nullptr) : J(a.predicted_class)},
          {"probability", a.probability},
          {"threshold", a.threshold ? J(*a.threshold) : J(nullptr)},
          {"status", a.status},
          {"reasons", ReasonsJson(a.reasons)},
          {"raised_at", FormatRfc3339(a.created_at)}};
}

}  // namespace fh::ml
