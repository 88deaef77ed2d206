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

Result<int64_t> RaiseAlarms(sqlite::Db& db, const RegisteredModel& model,
                            const std::vector<Prediction>& predictions,
                            const std::string& equipment) {
  if (model.task == Task::kRegression) {
    return InvalidArgument("model {}: alarms come from binary or multi-class models",
                           model.label());
  }
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db.Prepare("INSERT INTO alarm(model, model_name, equipment, ts, probability, threshold, "
                 "reasons, created_at, class) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                 "ON CONFLICT(model_name, equipment, ts) DO NOTHING"));
  const std::string label = model.label();
  const int64_t now = NowNs();
  int64_t raised = 0;
  for (const Prediction& p : predictions) {
    if (!p.positive.value_or(false)) continue;
    const std::string where = EquipmentOf(equipment, p.unit);
    const std::string reasons_text = JsonText(ReasonsJson(p.reasons));
    st.Bind(1, std::string_view(label))
        .Bind(2, std::string_view(model.name))
        .Bind(3, std::string_view(where))
        .Bind(4, p.time)
        .Bind(5, p.score)
        .Bind(6, model.task == Task::kBinary ? std::optional<double>(model.threshold.value_or(0.5))
                                             : std::nullopt)
        .Bind(7, std::string_view(reasons_text))
        .Bind(8, now);
    if (p.predicted_class.empty()) {
      st.BindNull(9);
    } else {
      st.Bind(9, std::string_view(p.predicted_class));
    }
    FH_RETURN_IF_ERROR(st.Step().status().WithContext("raising an alarm"));
    raised += db.Changes();
    st.Reset();
  }
  FH_RETURN_IF_ERROR(tx.Commit());
  return raised;
}

Result<std::vector<Alarm>> ListAlarms(sqlite::Db& db, int64_t limit) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db.Prepare("SELECT id, model, equipment, ts, probability, threshold, reasons, status, "
                 "created_at, class FROM alarm ORDER BY ts DESC, id DESC LIMIT ?1"));
  st.Bind(1, limit);
  std::vector<Alarm> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Alarm a;
    a.id = st.Int(0);
    a.model = std::string(st.Text(1));
    a.equipment = std::string(st.Text(2));
    a.ts = st.Int(3);
    a.probability = st.Double(4);
    a.threshold = st.OptDouble(5);
    const nlohmann::json reasons = nlohmann::json::parse(st.Text(6), nullptr, false);
    if (!reasons.is_array()) return Corruption("alarm {}: damaged reasons", a.id);
    for (const auto& r : reasons) {
      if (!r.is_object() || !r.contains("value")) {
        return Corruption("alarm {}: damaged reasons", a.id);
      }
      a.reasons.push_back({r.value("feature", ""),
                           r["value"].is_number() ? r["value"].get<double>() : NAN,
                           r.value("contribution", 0.0)});
    }
    a.status = std::string(st.Text(7));
    a.created_at = st.Int(8);
    if (!st.IsNull(9)) a.predicted_class = std::string(st.Text(9));
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
