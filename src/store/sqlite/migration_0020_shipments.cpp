#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Shipments (docs/genealogy.md): which lot went to which customer, how much and when, so a
// forward trace from a supplier's lot ends at the customers a recall must reach. One row
// per lot on a delivery: a delivery note (`number`) carries one or more lots. The crosswalk
// is rebuilt to accept the new entity.
const Migration kMigration0020Shipments = {20, "shipments", R"sql(
CREATE TABLE shipment (
  id               INTEGER PRIMARY KEY,
  number           TEXT NOT NULL CHECK (length(number) > 0),
  lot_id           INTEGER NOT NULL REFERENCES lot(id),
  customer_id      INTEGER NOT NULL REFERENCES customer(id),
  sales_order_id   INTEGER REFERENCES sales_order(id),
  quantity         REAL CHECK (quantity >= 0),
  unit             TEXT,
  shipped_at       INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (number, lot_id)
) STRICT;
CREATE INDEX shipment_by_lot ON shipment(lot_id);
CREATE INDEX shipment_by_customer ON shipment(customer_id, shipped_at);
-- A trace reads every link of a lot from either end without touching the table.
CREATE INDEX lot_link_trace_forward ON lot_link(input_lot_id, output_lot_id, quantity,
                                                work_order_id);
DROP INDEX lot_link_by_output;
CREATE INDEX lot_link_trace_backward ON lot_link(output_lot_id, input_lot_id, quantity,
                                                 work_order_id);
-- The crosswalk may name shipments; SQLite cannot change a CHECK in place: rebuilt.
CREATE TABLE crosswalk_v20 (
  id               INTEGER PRIMARY KEY,
  entity           TEXT NOT NULL
                   CHECK (entity IN ('asset', 'tag', 'reason_code', 'equipment_state_event',
                                     'material', 'customer', 'sales_order',
                                     'sales_order_line', 'work_order', 'work_order_operator',
                                     'inspection', 'lot', 'lot_link', 'personnel',
                                     'qualification', 'personnel_qualification',
                                     'equipment_qualification', 'bom_item', 'shipment')),
  canonical_id     INTEGER NOT NULL,
  source_system    TEXT NOT NULL CHECK (length(source_system) > 0),
  external_id      TEXT NOT NULL CHECK (length(external_id) > 0),
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (entity, source_system, external_id)
) STRICT;
INSERT INTO crosswalk_v20 SELECT * FROM crosswalk;
DROP TABLE crosswalk;
ALTER TABLE crosswalk_v20 RENAME TO crosswalk;
CREATE INDEX crosswalk_by_canonical ON crosswalk(entity, canonical_id);
)sql"};

}  // namespace fh::sqlite
