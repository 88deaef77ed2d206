// Catalog: reason codes and equipment state events.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define REASON_COLUMNS "id, code, description, category, " FH_LINEAGE_COLUMNS
#define EVENT_COLUMNS \
  "id, equipment_id, state, start_ts, end_ts, reason_id, work_order_id, " FH_LINEAGE_COLUMNS

Result<ReasonCode> ReadReason(Row& r) {
  ReasonCode c;
  c.id = r.Int();
  c.code = r.Text();
  c.description = r.OptText();
  c.category = r.OptText();
  c.lineage = r.ReadLineage();
  return c;
}

Result<EquipmentStateEvent> ReadEvent(Row& r) {
  EquipmentStateEvent e;
  e.id = r.Int();
  e.equipment_id = r.Int();
  FH_ASSIGN_OR_RETURN(e.state, ReadEnum(r, ParseEquipmentState));
  e.start_ts = r.Int();
  e.end_ts = r.OptInt();
  e.reason_id = r.OptInt();
  e.work_order_id = r.OptInt();
  e.lineage = r.ReadLineage();
  return e;
}

std::string ReasonKey(std::string_view code) {
  return fmt::format("reason_code '{}'", code);
}

}  // namespace

Result<int64_t> Catalog::UpsertReasonCode(const ReasonCode& reason) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO reason_code(code, description, category, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(code) DO UPDATE SET description = excluded.description, "
                "category = excluded.category, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, reason.code, reason.description, reason.category, reason.lineage);
  return ReturningId(*st, ReasonKey(reason.code));
}

Result<ReasonCode> Catalog::GetReasonCode(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " REASON_COLUMNS " FROM reason_code WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadReason, fmt::format("reason_code id {}", id));
}

Result<ReasonCode> Catalog::FindReasonCode(std::string_view code) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " REASON_COLUMNS " FROM reason_code WHERE code = ?"));
  BindAll(*st, code);
  return ReadOne(*st, ReadReason, ReasonKey(code));
}

Result<std::vector<ReasonCode>> Catalog::ListReasonCodes() {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " REASON_COLUMNS " FROM reason_code ORDER BY code"));
  return ReadAll(*st, ReadReason, "reason codes");
}

Result<int64_t> Catalog::UpsertStateEvent(const EquipmentStateEvent& e) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO equipment_state_event(equipment_id, state, start_ts, end_ts, "
                "reason_id, work_order_id, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(equipment_id, start_ts) DO UPDATE SET state = excluded.state, "
                "end_ts = excluded.end_ts, reason_id = excluded.reason_id, "
                "work_order_id = excluded.work_order_id, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, e.equipment_id, ToString(e.state), e.start_ts, e.end_ts, e.reason_id,
          e.work_order_id, e.lineage);
  return ReturningId(*st, fmt::format("equipment_state_event (equipment {}, start {})",
                                      e.equipment_id, e.start_ts));
}

Result<EquipmentStateEvent> Catalog::GetStateEvent(int64_t id) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st, Statement("SELECT " EVENT_COLUMNS " FROM equipment_state_event WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadEvent, fmt::format("equipment_state_event id {}", id));
}

Result<std::vector<EquipmentStateEvent>> Catalog::ListStateEvents(int64_t equipment_id,
                                                                  TimeRange range) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT " EVENT_COLUMNS " FROM equipment_state_event WHERE equipment_id = ? "
                "AND start_ts < ? AND (end_ts IS NULL OR end_ts > ?) ORDER BY start_ts"));
  BindAll(*st, equipment_id, range.to, range.from);
  return ReadAll(*st, ReadEvent, fmt::format("state events of asset {}", equipment_id));
}

Result<std::vector<StateSpan>> Catalog::ListStateSpans(int64_t equipment_id, TimeRange range) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT state, start_ts, end_ts, reason_id FROM equipment_state_event "
                "WHERE equipment_id = ? AND start_ts < ? AND (end_ts IS NULL OR end_ts > ?) "
                "ORDER BY start_ts"));
  BindAll(*st, equipment_id, range.to, range.from);
  return ReadAll(
      *st,
      [](Row& r) -> Result<StateSpan> {
        StateSpan s;
        FH_ASSIGN_OR_RETURN(s.state, ReadEnum(r, ParseEquipmentState));
        s.start_ts = r.Int();
        s.end_ts = r.OptInt();
        s.reason_id = r.OptInt();
        return s;
      },
      fmt::format("state events of asset {}", equipment_id));
}

Result<std::vector<int64_t>> Catalog::ListStateEquipment() {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st, Statement("SELECT id FROM asset WHERE EXISTS (SELECT 1 FROM "
                               "equipment_state_event WHERE equipment_id = asset.id) ORDER BY id"));
  return ReadAll(
      *st, [](Row& r) -> Result<int64_t> { return r.Int(); }, "equipment with state events");
}

}  // namespace fh
