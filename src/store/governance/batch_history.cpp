// GovernanceStore's reads of import history, for the quality report.
#include <algorithm>

#include "store/governance/governance_store.h"
#include "store/sqlite/db.h"

namespace fh {

Result<std::vector<GovernedMapping>> GovernanceStore::GovernedMappings() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT mapping_name, max(entity), max(source_system) FROM "
                                  "ingest_batch WHERE mapping_name IS NOT NULL GROUP BY "
                                  "mapping_name ORDER BY mapping_name"));
  std::vector<GovernedMapping> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2))});
  }
  return out;
}

Result<std::vector<BatchOutcome>> GovernanceStore::RecentBatches(std::string_view mapping_name,
                                                                 int64_t limit) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT id, started_at, status, ifnull(mapping_version, ''), source_object, "
                  "records_read, accepted, quarantined, duplicates, warnings, replay_of, "
                  "ifnull(message, ''), stale FROM ingest_batch "
                  "WHERE mapping_name = ?1 ORDER BY id DESC LIMIT ?2"));
  st.Bind(1, mapping_name).Bind(2, limit);
  std::vector<BatchOutcome> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    BatchOutcome b;
    b.id = st.Int(0);
    b.started_at = st.Int(1);
    b.status = std::string(st.Text(2));
    b.mapping_version = std::string(st.Text(3));
    b.source_object = std::string(st.Text(4));
    b.read = st.Int(5);
    b.accepted = st.Int(6);
    b.quarantined = st.Int(7);
    b.duplicates = st.Int(8);
    b.warnings = st.Int(9);
    b.replay_of = st.OptInt(10);
    b.message = std::string(st.Text(11));
    b.stale = st.Int(12);
    out.push_back(std::move(b));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<govern::CheckTally>> GovernanceStore::BatchChecks(int64_t batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT rule, check_kind, severity, field, checked, failed FROM "
                                  "batch_check WHERE batch_id = ?1 ORDER BY rowid"));
  st.Bind(1, batch_id);
  std::vector<govern::CheckTally> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    govern::CheckTally t;
    t.rule = std::string(st.Text(0));
    t.check = govern::ParseCheckKind(st.Text(1)).value_or(govern::CheckKind::kSchema);
    t.severity = st.Text(2) == "warn" ? govern::Severity::kWarn : govern::Severity::kReject;
    t.field = std::string(st.Text(3));
    t.checked = st.Int(4);
    t.failed = st.Int(5);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<ReasonCount>> GovernanceStore::TopOpenReasons(int64_t limit) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(
          "SELECT q.mapping_name, json_extract(r.value, '$.rule'), "
          "coalesce(json_extract(r.value, '$.field'), ''), count(DISTINCT q.id) AS n "
          "FROM quarantine q, "
          "json_each(coalesce((SELECT text FROM quarantine_reasons WHERE id = q.reasons_id), "
          "q.reasons)) r WHERE q.status = 'open' GROUP BY 1, 2, 3 "
          "ORDER BY n DESC, 1, 2, 3 LIMIT ?1"));
  st.Bind(1, limit);
  std::vector<ReasonCount> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(
        {std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2)), st.Int(3)});
  }
  return out;
}

}  // namespace fh
