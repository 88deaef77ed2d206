#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Work orders count reworked units apart from good and scrap: OEE's quality ratio and first
// pass yield count rework as not good (ISO 22400-2). The table is rebuilt so the lineage
// columns stay last, as in every entity table; other tables refer to work_order, so
// foreign keys are off while it is (Migration::rebuilds_referenced_table).
const Migration kMigration0016Rework = {16, "work order rework", R"sql(
CREATE TABLE work_order_v16 (
  id                   INTEGER PRIMARY KEY,
  number               TEXT NOT NULL UNIQUE CHECK (length(number) > 0),
  material_id          INTEGER NOT NULL REFERENCES material(id),
  equipment_id         INTEGER REFERENCES asset(id),
  sales_order_line_id  INTEGER REFERENCES sales_order_line(id),
  status               TEXT NOT NULL DEFAULT 'planned'
                       CHECK (status = 'planned' OR status = 'released' OR status = 'running'
                              OR status = 'held' OR status = 'completed'
                              OR status = 'cancelled'),
  planned_qty          REAL NOT NULL CHECK (planned_qty >= 0),
  good_qty             REAL NOT NULL DEFAULT 0 CHECK (good_qty >= 0),
  scrap_qty            REAL NOT NULL DEFAULT 0 CHECK (scrap_qty >= 0),
  unit                 TEXT,
  ideal_cycle_time_s   REAL CHECK (ideal_cycle_time_s > 0),
  planned_start        INTEGER,
  planned_end          INTEGER,
  actual_start         INTEGER,
  actual_end           INTEGER,
  rework_qty           REAL NOT NULL DEFAULT 0 CHECK (rework_qty >= 0),
  source_system        TEXT,
  source_object        TEXT,
  source_line          INTEGER,
  mapping_version      TEXT,
  batch_id             INTEGER REFERENCES ingest_batch(id),
  CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
  CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
) STRICT;
INSERT INTO work_order_v16(id, number, material_id, equipment_id, sales_order_line_id, status,
  planned_qty, good_qty, scrap_qty, unit, ideal_cycle_time_s, planned_start, planned_end,
  actual_start, actual_end, source_system, source_object, source_line, mapping_version,
  batch_id)
SELECT id, number, material_id, equipment_id, sales_order_line_id, status, planned_qty,
  good_qty, scrap_qty, unit, ideal_cycle_time_s, planned_start, planned_end, actual_start,
  actual_end, source_system, source_object, source_line, mapping_version, batch_id
FROM work_order;
DROP TABLE work_order;
ALTER TABLE work_order_v16 RENAME TO work_order;
CREATE INDEX work_order_by_equipment ON work_order(equipment_id, actual_start);
CREATE INDEX work_order_by_material ON work_order(material_id);
CREATE INDEX work_order_by_sales_order_line ON work_order(sales_order_line_id);
)sql",
                                        /*rebuilds_referenced_table=*/true};

}  // namespace fh::sqlite
