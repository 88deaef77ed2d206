// Catalog: quality inspections.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define INSPECTION_COLUMNS                                                             \
  "id, characteristic, inspected_at, sample_no, equipment_id, work_order_id, lot_id, " \
  "inspector_id, value, unit, lsl, usl, target, result, defect_code, " FH_LINEAGE_COLUMNS

Result<Inspection> ReadInspection(Row& r) {
  Inspection i;
  i.id = r.Int();
  i.characteristic = r.Text();
  i.inspected_at = r.Int();
  i.sample_no = r.Int();
  i.equipment_id = r.OptInt();
  i.work_order_id = r.OptInt();
  i.lot_id = r.OptInt();
  i.inspector_id = r.OptInt();
  i.value = r.OptDouble();
  i.unit = r.OptText();
  i.lsl = r.OptDouble();
  i.usl = r.OptDouble();
  i.target = r.OptDouble();
  FH_ASSIGN_OR_RETURN(i.result, ReadEnum(r, ParseInspectionResult));
  i.defect_code = r.OptText();
  i.lineage = r.ReadLineage();
  return i;
}

}  // namespace

Result<int64_t> Catalog::UpsertInspection(const Inspection& i) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO inspection(characteristic, inspected_at, sample_no, equipment_id, "
                "work_order_id, lot_id, inspector_id, value, unit, lsl, usl, target, result, "
                "defect_code, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(characteristic, inspected_at, sample_no, ifnull(equipment_id, 0), "
                "ifnull(work_order_id, 0), ifnull(lot_id, 0)) DO UPDATE SET "
                "inspector_id = excluded.inspector_id, value = excluded.value, "
                "unit = excluded.unit, lsl = excluded.lsl, usl = excluded.usl, "
                "target = excluded.target, result = excluded.result, "
                "defect_code = excluded.defect_code, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, i.characteristic, i.inspected_at, i.sample_no, i.equipment_id, i.work_order_id,
          i.lot_id, i.inspector_id, i.value, i.unit, i.lsl, i.usl, i.target, ToString(i.result),
          i.defect_code, i.lineage);
  return ReturningId(*st, fmt::format("inspection ('{}' at {}, sample {})", i.characteristic,
                                      i.inspected_at, i.sample_no));
}

Result<Inspection> Catalog::GetInspection(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " INSPECTION_COLUMNS " FROM inspection WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadInspection, fmt::format("inspection id {}", id));
}

Result<std::vector<Inspection>> Catalog::ListInspections(const InspectionFilter& f) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT " INSPECTION_COLUMNS " FROM inspection "
                "WHERE (?1 IS NULL OR characteristic = ?1) AND (?2 IS NULL OR equipment_id = ?2) "
                "AND (?3 IS NULL OR work_order_id = ?3) AND (?4 IS NULL OR lot_id = ?4) "
                "AND inspected_at >= ?5 AND inspected_at < ?6 "
                "ORDER BY inspected_at, sample_no, id"));
  BindAll(*st, f.characteristic, f.equipment_id, f.work_order_id, f.lot_id, f.range.from,
          f.range.to);
  return ReadAll(*st, ReadInspection, "inspections");
}

}  // namespace fh
