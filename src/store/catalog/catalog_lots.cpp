// Catalog: material lots and genealogy links.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

#include <sqlite3.h>

namespace fh {

using namespace catalog_internal;

namespace {

#define LOT_COLUMNS                                                                         \
  "id, material_id, number, status, quantity, unit, work_order_id, supplier, produced_at, " \
  "expires_at, " FH_LINEAGE_COLUMNS
#define LINK_COLUMNS \
  "id, input_lot_id, output_lot_id, quantity, work_order_id, linked_at, " FH_LINEAGE_COLUMNS

Result<Lot> ReadLot(Row& r) {
  Lot l;
  l.id = r.Int();
  l.material_id = r.Int();
  l.number = r.Text();
  FH_ASSIGN_OR_RETURN(l.status, ReadEnum(r, ParseLotStatus));
  l.quantity = r.OptDouble();
  l.unit = r.OptText();
  l.work_order_id = r.OptInt();
  l.supplier = r.OptText();
  l.produced_at = r.OptInt();
  l.expires_at = r.OptInt();
  l.lineage = r.ReadLineage();
  return l;
}

Result<LotLink> ReadLink(Row& r) {
  LotLink k;
  k.id = r.Int();
  k.input_lot_id = r.Int();
  k.output_lot_id = r.Int();
  k.quantity = r.OptDouble();
  k.work_order_id = r.OptInt();
  k.linked_at = r.OptInt();
  k.lineage = r.ReadLineage();
  return k;
}

#define SHIPMENT_COLUMNS                                              \
  "id, number, lot_id, customer_id, sales_order_id, quantity, unit, " \
  "shipped_at, " FH_LINEAGE_COLUMNS

Result<Shipment> ReadShipment(Row& r) {
  Shipment s;
  s.id = r.Int();
  s.number = r.Text();
  s.lot_id = r.Int();
  s.customer_id = r.Int();
  s.sales_order_id = r.OptInt();
  s.quantity = r.OptDouble();
  s.unit = r.OptText();
  s.shipped_at = r.OptInt();
  s.lineage = r.ReadLineage();
  return s;
}

Result<TracedLot> ReadTraced(Row& r) {
  TracedLot t;
  t.lot_id = r.Int();
  t.depth = r.Int();
  return t;
}

std::string LotKey(int64_t material_id, std::string_view number) {
  return fmt::format("lot '{}' of material {}", number, material_id);
}

}  // namespace

Result<int64_t> Catalog::UpsertLot(const Lot& l) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(
          "INSERT INTO lot(material_id, number, status, quantity, unit, work_order_id, "
          "supplier, produced_at, expires_at, " FH_LINEAGE_COLUMNS
          ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
          ") ON CONFLICT(material_id, number) DO UPDATE SET status = excluded.status, "
          "quantity = excluded.quantity, unit = excluded.unit, "
          "work_order_id = excluded.work_order_id, supplier = excluded.supplier, "
          "produced_at = excluded.produced_at, expires_at = excluded.expires_at, " FH_LINEAGE_UPDATE
          " RETURNING id"));
  BindAll(*st, l.material_id, l.number, ToString(l.status), l.quantity, l.unit, l.work_order_id,
          l.supplier, l.produced_at, l.expires_at, l.lineage);
  return ReturningId(*st, LotKey(l.material_id, l.number));
}

Result<Lot> Catalog::GetLot(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LOT_COLUMNS " FROM lot WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadLot, fmt::format("lot id {}", id));
}

Result<Lot> Catalog::FindLot(int64_t material_id, std::string_view number) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LOT_COLUMNS
                                               " FROM lot WHERE material_id = ? AND number = ?"));
  BindAll(*st, material_id, number);
  return ReadOne(*st, ReadLot, LotKey(material_id, number));
}

Result<std::vector<Lot>> Catalog::ListLots(std::optional<int64_t> material_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LOT_COLUMNS " FROM lot WHERE ?1 IS NULL "
                                               "OR material_id = ?1 ORDER BY material_id, number"));
  BindAll(*st, material_id);
  return ReadAll(*st, ReadLot, "lots");
}

Result<int64_t> Catalog::UpsertLotLink(const LotLink& k) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO lot_link(input_lot_id, output_lot_id, quantity, work_order_id, "
                "linked_at, " FH_LINEAGE_COLUMNS ") VALUES(?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(input_lot_id, output_lot_id) DO UPDATE SET "
                "quantity = excluded.quantity, work_order_id = excluded.work_order_id, "
                "linked_at = excluded.linked_at, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, k.input_lot_id, k.output_lot_id, k.quantity, k.work_order_id, k.linked_at,
          k.lineage);
  return ReturningId(*st,
                     fmt::format("lot_link (lot {} into lot {})", k.input_lot_id, k.output_lot_id));
}

Result<std::vector<LotLink>> Catalog::ListLotInputs(int64_t lot_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LINK_COLUMNS " FROM lot_link "
                                               "WHERE output_lot_id = ? ORDER BY input_lot_id"));
  BindAll(*st, lot_id);
  return ReadAll(*st, ReadLink, fmt::format("inputs of lot {}", lot_id));
}

Result<std::vector<LotLink>> Catalog::ListLotOutputs(int64_t lot_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LINK_COLUMNS " FROM lot_link "
                                               "WHERE input_lot_id = ? ORDER BY output_lot_id"));
  BindAll(*st, lot_id);
  return ReadAll(*st, ReadLink, fmt::format("outputs of lot {}", lot_id));
}

Status Catalog::InOneRead(const std::function<Status()>& read) {
  if (!sqlite3_get_autocommit(db_.raw())) return read();
  FH_RETURN_IF_ERROR(db_.Exec("BEGIN"));
  Status status = read();
  Status ended = db_.Exec(status.ok() ? "COMMIT" : "ROLLBACK");
  return status.ok() ? ended : status;
}

Status Catalog::LotEdges(int64_t lot_id, TraceDirection direction, std::vector<LotEdge>& out) {
  // Each statement names the columns of its covering index (migration 0020), in order.
  FH_ASSIGN_OR_RETURN(ScopedStmt inputs,
                      Statement("SELECT input_lot_id, quantity, work_order_id FROM lot_link "
                                "INDEXED BY lot_link_trace_backward WHERE output_lot_id = ?"));
  FH_ASSIGN_OR_RETURN(ScopedStmt outputs,
                      Statement("SELECT output_lot_id, quantity, work_order_id FROM lot_link "
                                "INDEXED BY lot_link_trace_forward WHERE input_lot_id = ?"));
  sqlite::Stmt& st = direction == TraceDirection::kBackward ? *inputs : *outputs;
  BindAll(st, lot_id);
  out.clear();
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    LotEdge& e = out.emplace_back();
    e.lot_id = st.Int(0);
    if (!st.IsNull(1)) e.quantity = st.Double(1);
    if (!st.IsNull(2)) e.work_order_id = st.Int(2);
  }
  return Status();
}

Result<std::vector<Lot>> Catalog::FindLotsByNumber(std::string_view number) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " LOT_COLUMNS
                                               " FROM lot WHERE number = ? ORDER BY material_id"));
  BindAll(*st, number);
  return ReadAll(*st, ReadLot, fmt::format("lots numbered '{}'", number));
}

Result<int64_t> Catalog::UpsertShipment(const Shipment& s) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO shipment(number, lot_id, customer_id, sales_order_id, quantity, "
                "unit, shipped_at, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(number, lot_id) DO UPDATE SET customer_id = excluded.customer_id, "
                "sales_order_id = excluded.sales_order_id, quantity = excluded.quantity, "
                "unit = excluded.unit, shipped_at = excluded.shipped_at, " FH_LINEAGE_UPDATE
                " RETURNING id"));
  BindAll(*st, s.number, s.lot_id, s.customer_id, s.sales_order_id, s.quantity, s.unit,
          s.shipped_at, s.lineage);
  return ReturningId(*st, fmt::format("shipment '{}' of lot {}", s.number, s.lot_id));
}

Result<std::vector<Shipment>> Catalog::ListShipmentsOfLot(int64_t lot_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " SHIPMENT_COLUMNS " FROM shipment WHERE lot_id = ? "
                                "ORDER BY shipped_at, number"));
  BindAll(*st, lot_id);
  return ReadAll(*st, ReadShipment, fmt::format("shipments of lot {}", lot_id));
}

// UNION (not UNION ALL) drops repeated (lot, depth) rows, and the depth bound ends the
// recursion even when bad data holds a cycle.
Result<std::vector<TracedLot>> Catalog::TraceLots(int64_t lot_id, TraceDirection direction,
                                                  int64_t max_depth) {
  FH_RETURN_IF_ERROR(GetLot(lot_id).status());
  FH_ASSIGN_OR_RETURN(ScopedStmt backward,
                      Statement("WITH RECURSIVE t(lot_id, depth) AS (SELECT ?1, 0 UNION "
                                "SELECT k.input_lot_id, t.depth + 1 FROM lot_link k JOIN t "
                                "ON k.output_lot_id = t.lot_id WHERE t.depth < ?2) "
                                "SELECT lot_id, MIN(depth) AS d FROM t WHERE lot_id <> ?1 "
                                "GROUP BY lot_id ORDER BY d, lot_id"));
  FH_ASSIGN_OR_RETURN(ScopedStmt forward,
                      Statement("WITH RECURSIVE t(lot_id, depth) AS (SELECT ?1, 0 UNION "
                                "SELECT k.output_lot_id, t.depth + 1 FROM lot_link k JOIN t "
                                "ON k.input_lot_id = t.lot_id WHERE t.depth < ?2) "
                                "SELECT lot_id, MIN(depth) AS d FROM t WHERE lot_id <> ?1 "
                                "GROUP BY lot_id ORDER BY d, lot_id"));
  sqlite::Stmt& st = direction == TraceDirection::kBackward ? *backward : *forward;
  BindAll(st, lot_id, max_depth);
  return ReadAll(st, ReadTraced, fmt::format("trace of lot {}", lot_id));
}

}  // namespace fh
