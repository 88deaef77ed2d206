#include "store/models/alarm_store.h"

#include "store/sqlite/db.h"

namespace fh {

Result<int64_t> AlarmStore::Raise(std::span<const StoredAlarm> alarms) {
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("INSERT INTO alarm(model, model_name, equipment, ts, probability, threshold, "
                  "reasons, created_at, class) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                  "ON CONFLICT(model_name, equipment, ts) DO NOTHING"));
  int64_t raised = 0;
  for (const StoredAlarm& a : alarms) {
    st.Bind(1, std::string_view(a.model))
        .Bind(2, std::string_view(a.model_name))
        .Bind(3, std::string_view(a.equipment))
        .Bind(4, a.ts)
        .Bind(5, a.probability)
        .Bind(6, a.threshold)
        .Bind(7, std::string_view(a.reasons_json))
        .Bind(8, a.created_at);
    if (a.predicted_class.empty()) {
      st.BindNull(9);
    } else {
      st.Bind(9, std::string_view(a.predicted_class));
    }
    FH_RETURN_IF_ERROR(st.Step().status().WithContext("raising an alarm"));
    raised += db_.Changes();
    st.Reset();
  }
  FH_RETURN_IF_ERROR(tx.Commit());
  return raised;
}

Result<std::vector<StoredAlarm>> AlarmStore::List(int64_t limit, std::string_view scope,
                                                  std::string_view model) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT id, model, model_name, equipment, ts, probability, threshold, reasons, "
                  "status, created_at, class FROM alarm WHERE (?2 = '' OR equipment = ?2 OR "
                  "substr(equipment, 1, length(?2) + 1) = ?2 || '/') AND (?3 = '' OR "
                  "model_name = ?3) "
                  "ORDER BY ts DESC, id DESC LIMIT ?1"));
  st.Bind(1, limit).Bind(2, scope).Bind(3, model);
  std::vector<StoredAlarm> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StoredAlarm a;
    a.id = st.Int(0);
    a.model = std::string(st.Text(1));
    a.model_name = std::string(st.Text(2));
    a.equipment = std::string(st.Text(3));
    a.ts = st.Int(4);
    a.probability = st.Double(5);
    a.threshold = st.OptDouble(6);
    a.reasons_json = std::string(st.Text(7));
    a.status = std::string(st.Text(8));
    a.created_at = st.Int(9);
    if (!st.IsNull(10)) a.predicted_class = std::string(st.Text(10));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace fh
