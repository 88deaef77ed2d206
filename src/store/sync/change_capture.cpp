#include "store/sync/change_capture.h"

#include <array>

#include <fmt/format.h>

#include "store/sqlite/db.h"
#include "store/sqlite/id_array.h"

namespace fh {
namespace change_capture_detail {

constexpr std::array<std::string_view, 16> kForwarded = {"asset",
                                                         "tag",
                                                         "reason_code",
                                                         "material",
                                                         "bom_item",
                                                         "customer",
                                                         "sales_order",
                                                         "sales_order_line",
                                                         "work_order",
                                                         "lot",
                                                         "lot_link",
                                                         "shipment",
                                                         "qualification",
                                                         "equipment_qualification",
                                                         "equipment_state_event",
                                                         "inspection"};

// A tag row is created by the time-series store on a tag's first point, without metadata:
// only one that says something (equipment, unit, limits ...) is a record worth sending.
constexpr std::string_view kTagHasMetadata =
    "WHEN NEW.equipment_id IS NOT NULL OR NEW.unit IS NOT NULL OR NEW.description IS NOT NULL "
    "OR NEW.lo_limit IS NOT NULL OR NEW.hi_limit IS NOT NULL OR NEW.data_type <> 'double' ";

std::string TriggerSql(std::string_view entity, std::string_view event, std::string_view when,
                       std::string_view row_id) {
  return fmt::format(
      "CREATE TRIGGER IF NOT EXISTS sync_change_{0}_{1} AFTER {2} ON {0} {3}BEGIN "
      "INSERT INTO sync_change(entity, row_id) VALUES ('{0}', NEW.{4}); END;",
      entity, event == "INSERT" ? "insert" : "update", event, when, row_id);
}

std::vector<std::string> Tables() {
  std::vector<std::string> out(kForwarded.begin(), kForwarded.end());
  out.emplace_back(kBatchChange);
  out.emplace_back(kTextChange);
  return out;
}

}  // namespace change_capture_detail

std::span<const std::string_view> ForwardedEntities() {
  return change_capture_detail::kForwarded;
}

Status SetChangeCapture(sqlite::Db& db, bool on) {
  using namespace change_capture_detail;
  // Most opens find the triggers as they should be: then nothing is written (a hub on a full
  // disk still opens for what needs no room, such as a compaction).
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db.Prepare("SELECT (SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name "
                 "LIKE 'sync\\_change\\_%' ESCAPE '\\'), EXISTS (SELECT 1 FROM sync_change)"));
  FH_ASSIGN_OR_RETURN(const bool row, st.Step());
  if (row) {
    const int64_t triggers = st.Int(0);
    const bool listed = st.Int(1) != 0;
    const int64_t wanted = static_cast<int64_t>(Tables().size()) * 2;
    if (on ? triggers == wanted : triggers == 0 && !listed) return Status();
  }
  std::string sql = "BEGIN IMMEDIATE;";
  for (const std::string& table : Tables()) {
    const std::string_view when = table == "tag" ? kTagHasMetadata : std::string_view();
    const std::string_view row_id = table == kTextChange ? "rowid" : "id";
    for (std::string_view event : {"INSERT", "UPDATE"}) {
      if (on) {
        sql += TriggerSql(table, event, when, row_id);
      } else {
        sql += fmt::format("DROP TRIGGER IF EXISTS sync_change_{}_{};", table,
                           event == "INSERT" ? "insert" : "update");
      }
    }
  }
  if (!on) sql += "DELETE FROM sync_change;";
  sql += "COMMIT;";
  Status s = db.Exec(sql);
  if (!s.ok()) (void)db.Exec("ROLLBACK;");
  return s.WithContext("change capture for the central hub");
}

Result<std::vector<CatalogChange>> ChangeLog::Pending(int64_t limit) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached("SELECT seq, entity, row_id FROM sync_change "
                                                    "ORDER BY seq LIMIT ?1"));
  st->Bind(1, limit);
  std::vector<CatalogChange> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st->Step());
    if (!row) break;
    out.push_back({st->Int(0), std::string(st->Text(1)), st->Int(2)});
  }
  st->Reset();
  return out;
}

Result<int64_t> ChangeLog::CountPending() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached("SELECT count(*) FROM sync_change"));
  FH_ASSIGN_OR_RETURN(const bool row, st->Step());
  const int64_t n = row ? st->Int(0) : 0;
  st->Reset();
  return n;
}

Status ChangeLog::Forget(int64_t seq) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached("DELETE FROM sync_change WHERE seq <= ?1"));
  st->Bind(1, seq);
  return st->Run();
}

Result<std::vector<ForwardedBatch>> ChangeLog::Batches(std::span<const int64_t> ids) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT id, source_system, source_object, coalesce(mapping_version, ''), "
                  "coalesce(mapping_name, ''), coalesce(entity, ''), status, started_at, "
                  "finished_at, records_read, accepted, quarantined, duplicates, stale, warnings, "
                  "message FROM ingest_batch WHERE id IN (SELECT value FROM json_each(?1)) "
                  "ORDER BY id"));
  st.Bind(1, std::string_view(sqlite::IdArrayJson(ids)));
  std::vector<ForwardedBatch> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    ForwardedBatch& b = out.emplace_back();
    b.id = st.Int(0);
    b.source_system = std::string(st.Text(1));
    b.source_object = std::string(st.Text(2));
    b.mapping_version = std::string(st.Text(3));
    b.mapping_name = std::string(st.Text(4));
    b.entity = std::string(st.Text(5));
    b.status = std::string(st.Text(6));
    b.started_at = st.Int(7);
    b.finished_at = st.OptInt(8);
    b.read = st.Int(9);
    b.accepted = st.Int(10);
    b.quarantined = st.Int(11);
    b.duplicates = st.Int(12);
    b.stale = st.Int(13);
    b.warnings = st.Int(14);
    b.message = st.OptText(15);
  }
  return out;
}

Result<std::vector<TextSample>> ChangeLog::Texts(std::span<const int64_t> rowids) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT tag, ts, value FROM text_sample WHERE rowid IN "
                                  "(SELECT value FROM json_each(?1)) ORDER BY rowid"));
  st.Bind(1, std::string_view(sqlite::IdArrayJson(rowids)));
  std::vector<TextSample> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    out.push_back(TextSample{std::string(st.Text(0)), st.Int(1), std::string(st.Text(2))});
  }
  return out;
}

Result<std::vector<std::pair<int64_t, Lineage>>> ChangeLog::Lineages(std::string_view table,
                                                                     std::span<const int64_t> ids) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("SELECT id, coalesce(source_system, ''), coalesce(source_object, "
                              "''), source_line, coalesce(mapping_version, ''), batch_id FROM {} "
                              "WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                              table)));
  st.Bind(1, std::string_view(sqlite::IdArrayJson(ids)));
  std::vector<std::pair<int64_t, Lineage>> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    Lineage l;
    l.source_system = std::string(st.Text(1));
    l.source_object = std::string(st.Text(2));
    l.source_line = st.OptInt(3);
    l.mapping_version = std::string(st.Text(4));
    l.batch_id = st.OptInt(5);
    out.emplace_back(st.Int(0), std::move(l));
  }
  return out;
}

}  // namespace fh
