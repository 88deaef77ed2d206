#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The canonical model (docs/model.md). Conventions:
// - Entity tables are STRICT (a value of the wrong type is an error, not a silent cast;
//   `tag`, created by migration 1, is the exception),
//   keyed by `id`, with a UNIQUE natural key that imports upsert on.
// - Every entity table ends with the five lineage columns; batch_id points at ingest_batch.
// - Timestamps are INTEGER nanoseconds since the Unix epoch, UTC.
// - Enum columns list their names in a CHECK; they must match the tables in src/model/
//   (tests/store/catalog_schema_test.cpp checks that they do). The CHECKs are written
//   `x = 'a' OR x = 'b'`, not `x IN ('a', 'b')`: SQLite builds a temporary index for an IN
//   list each time a statement runs, which was a third of an import's time.
// - Foreign keys are enforced (the connection sets PRAGMA foreign_keys=ON); each foreign
//   key column but batch_id has an index, so that lookups by it and checks on parent
//   deletes are cheap (batches are never deleted).
const Migration kMigration0002Model = {2, "canonical model", R"sql(
CREATE TABLE ingest_batch (
  id               INTEGER PRIMARY KEY,
  source_system    TEXT NOT NULL,
  source_object    TEXT NOT NULL,
  mapping_version  TEXT,
  status           TEXT NOT NULL DEFAULT 'running'
                   CHECK (status = 'running' OR status = 'completed' OR status = 'failed'),
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER,
  records_read     INTEGER NOT NULL DEFAULT 0 CHECK (records_read >= 0),
  accepted         INTEGER NOT NULL DEFAULT 0 CHECK (accepted >= 0),
  quarantined      INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
  duplicates       INTEGER NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
  message          TEXT,
  CHECK (status <> 'completed' OR records_read = accepted + quarantined + duplicates),
  CHECK (finished_at IS NULL OR finished_at >= started_at)
) STRICT;
CREATE INDEX ingest_batch_by_source ON ingest_batch(source_system, source_object);

-- ISA-95 hierarchy. The level follows from the depth of the path (model/asset.h).
CREATE TABLE asset (
  id               INTEGER PRIMARY KEY,
  parent_id        INTEGER REFERENCES asset(id),
  level            TEXT NOT NULL
                   CHECK (level = 'enterprise' OR level = 'site' OR level = 'area'
                          OR level = 'line' OR level = 'equipment'),
  name             TEXT NOT NULL CHECK (length(name) > 0 AND instr(name, '/') = 0),
  path             TEXT NOT NULL UNIQUE,
  description      TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  CHECK ((level = 'enterprise') = (parent_id IS NULL))
) STRICT;
CREATE INDEX asset_by_parent ON asset(parent_id, name);

-- Tag metadata on the time-series table of migration 0001.
ALTER TABLE tag ADD COLUMN equipment_id INTEGER REFERENCES asset(id);
ALTER TABLE tag ADD COLUMN unit TEXT;
ALTER TABLE tag ADD COLUMN data_type TEXT NOT NULL DEFAULT 'double'
  CHECK (data_type = 'double' OR data_type = 'int' OR data_type = 'bool');
ALTER TABLE tag ADD COLUMN lo_limit REAL;
ALTER TABLE tag ADD COLUMN hi_limit REAL
  CHECK (lo_limit IS NULL OR hi_limit IS NULL OR lo_limit <= hi_limit);
ALTER TABLE tag ADD COLUMN description TEXT;
ALTER TABLE tag ADD COLUMN source_system TEXT;
ALTER TABLE tag ADD COLUMN source_object TEXT;
ALTER TABLE tag ADD COLUMN source_line INTEGER;
ALTER TABLE tag ADD COLUMN mapping_version TEXT;
ALTER TABLE tag ADD COLUMN batch_id INTEGER REFERENCES ingest_batch(id);
CREATE INDEX tag_by_equipment ON tag(equipment_id);

CREATE TABLE reason_code (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  description      TEXT,
  category         TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;

CREATE TABLE material (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind = 'raw' OR kind = 'intermediate'
                                        OR kind = 'product'),
  unit             TEXT,
  description      TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;

CREATE TABLE customer (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  country          TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;

CREATE TABLE sales_order (
  id               INTEGER PRIMARY KEY,
  number           TEXT NOT NULL UNIQUE CHECK (length(number) > 0),
  customer_id      INTEGER NOT NULL REFERENCES customer(id),
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status = 'open' OR status = 'confirmed' OR status = 'shipped'
                          OR status = 'closed' OR status = 'cancelled'),
  ordered_at       INTEGER,
  due_at           INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;
CREATE INDEX sales_order_by_customer ON sales_order(customer_id);

CREATE TABLE sales_order_line (
  id               INTEGER PRIMARY KEY,
  sales_order_id   INTEGER NOT NULL REFERENCES sales_order(id) ON DELETE CASCADE,
  line_no          INTEGER NOT NULL CHECK (line_no >= 1),
  material_id      INTEGER NOT NULL REFERENCES material(id),
  quantity         REAL NOT NULL CHECK (quantity > 0),
  unit             TEXT,
  due_at           INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (sales_order_id, line_no)
) STRICT;
CREATE INDEX sales_order_line_by_material ON sales_order_line(material_id);

CREATE TABLE work_order (
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
  source_system        TEXT,
  source_object        TEXT,
  source_line          INTEGER,
  mapping_version      TEXT,
  batch_id             INTEGER REFERENCES ingest_batch(id),
  CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
  CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
) STRICT;
CREATE INDEX work_order_by_equipment ON work_order(equipment_id, actual_start);
CREATE INDEX work_order_by_material ON work_order(material_id);
CREATE INDEX work_order_by_sales_order_line ON work_order(sales_order_line_id);

CREATE TABLE equipment_state_event (
  id               INTEGER PRIMARY KEY,
  equipment_id     INTEGER NOT NULL REFERENCES asset(id),
  state            TEXT NOT NULL
                   CHECK (state = 'running' OR state = 'idle' OR state = 'starved'
                          OR state = 'blocked' OR state = 'setup'
                          OR state = 'down' OR state = 'planned_stop'),
  start_ts         INTEGER NOT NULL,
  end_ts           INTEGER CHECK (end_ts IS NULL OR end_ts >= start_ts),
  reason_id        INTEGER REFERENCES reason_code(id),
  work_order_id    INTEGER REFERENCES work_order(id),
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (equipment_id, start_ts)
) STRICT;
CREATE INDEX equipment_state_event_by_time ON equipment_state_event(start_ts);
CREATE INDEX equipment_state_event_by_reason ON equipment_state_event(reason_id);
CREATE INDEX equipment_state_event_by_work_order ON equipment_state_event(work_order_id);

CREATE TABLE personnel (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  site_id          INTEGER REFERENCES asset(id),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;
CREATE INDEX personnel_by_site ON personnel(site_id);

CREATE TABLE qualification (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  description      TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;

CREATE TABLE personnel_qualification (
  id                INTEGER PRIMARY KEY,
  personnel_id      INTEGER NOT NULL REFERENCES personnel(id) ON DELETE CASCADE,
  qualification_id  INTEGER NOT NULL REFERENCES qualification(id),
  valid_from        INTEGER,
  valid_to          INTEGER,
  source_system     TEXT,
  source_object     TEXT,
  source_line       INTEGER,
  mapping_version   TEXT,
  batch_id          INTEGER REFERENCES ingest_batch(id),
  UNIQUE (personnel_id, qualification_id),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
) STRICT;
CREATE INDEX personnel_qualification_by_qualification
  ON personnel_qualification(qualification_id);

CREATE TABLE equipment_qualification (
  id                INTEGER PRIMARY KEY,
  equipment_id      INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
  qualification_id  INTEGER NOT NULL REFERENCES qualification(id),
  source_system     TEXT,
  source_object     TEXT,
  source_line       INTEGER,
  mapping_version   TEXT,
  batch_id          INTEGER REFERENCES ingest_batch(id),
  UNIQUE (equipment_id, qualification_id)
) STRICT;
CREATE INDEX equipment_qualification_by_qualification
  ON equipment_qualification(qualification_id);

CREATE TABLE work_order_operator (
  id               INTEGER PRIMARY KEY,
  work_order_id    INTEGER NOT NULL REFERENCES work_order(id) ON DELETE CASCADE,
  personnel_id     INTEGER NOT NULL REFERENCES personnel(id),
  from_ts          INTEGER,
  to_ts            INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (work_order_id, personnel_id),
  CHECK (to_ts IS NULL OR from_ts IS NULL OR to_ts >= from_ts)
) STRICT;
CREATE INDEX work_order_operator_by_personnel ON work_order_operator(personnel_id);

CREATE TABLE lot (
  id               INTEGER PRIMARY KEY,
  material_id      INTEGER NOT NULL REFERENCES material(id),
  number           TEXT NOT NULL CHECK (length(number) > 0),
  status           TEXT NOT NULL DEFAULT 'available'
                   CHECK (status = 'available' OR status = 'on_hold' OR status = 'consumed'
                          OR status = 'shipped' OR status = 'scrapped'),
  quantity         REAL CHECK (quantity >= 0),
  unit             TEXT,
  work_order_id    INTEGER REFERENCES work_order(id),
  supplier         TEXT,
  produced_at      INTEGER,
  expires_at       INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (material_id, number)
) STRICT;
CREATE INDEX lot_by_number ON lot(number);
CREATE INDEX lot_by_work_order ON lot(work_order_id);

-- Genealogy: the unique key serves forward tracing (by input), the index backward.
CREATE TABLE lot_link (
  id               INTEGER PRIMARY KEY,
  input_lot_id     INTEGER NOT NULL REFERENCES lot(id),
  output_lot_id    INTEGER NOT NULL REFERENCES lot(id),
  quantity         REAL CHECK (quantity >= 0),
  work_order_id    INTEGER REFERENCES work_order(id),
  linked_at        INTEGER,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (input_lot_id, output_lot_id),
  CHECK (input_lot_id <> output_lot_id)
) STRICT;
CREATE INDEX lot_link_by_output ON lot_link(output_lot_id);
CREATE INDEX lot_link_by_work_order ON lot_link(work_order_id);

-- One characteristic of one sample. An absent equipment, order or lot counts as 0 in the
-- natural key, so that re-importing such a row updates it instead of adding a copy.
CREATE TABLE inspection (
  id               INTEGER PRIMARY KEY,
  characteristic   TEXT NOT NULL CHECK (length(characteristic) > 0),
  inspected_at     INTEGER NOT NULL,
  sample_no        INTEGER NOT NULL DEFAULT 1 CHECK (sample_no >= 1),
  equipment_id     INTEGER REFERENCES asset(id),
  work_order_id    INTEGER REFERENCES work_order(id),
  lot_id           INTEGER REFERENCES lot(id),
  inspector_id     INTEGER REFERENCES personnel(id),
  value            REAL,
  unit             TEXT,
  lsl              REAL,
  usl              REAL,
  target           REAL,
  result           TEXT NOT NULL CHECK (result = 'pass' OR result = 'fail'),
  defect_code      TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  CHECK (lsl IS NULL OR usl IS NULL OR lsl <= usl)
) STRICT;
CREATE UNIQUE INDEX inspection_natural_key ON inspection(
  characteristic, inspected_at, sample_no, ifnull(equipment_id, 0), ifnull(work_order_id, 0),
  ifnull(lot_id, 0));
CREATE INDEX inspection_by_equipment ON inspection(equipment_id, inspected_at);
CREATE INDEX inspection_by_work_order ON inspection(work_order_id);
CREATE INDEX inspection_by_lot ON inspection(lot_id);
CREATE INDEX inspection_by_inspector ON inspection(inspector_id);

-- External-ID crosswalk: the same entity under each source system's identifier.
-- canonical_id refers to the table named by `entity` (checked by the catalog on insert).
CREATE TABLE crosswalk (
  id               INTEGER PRIMARY KEY,
  entity           TEXT NOT NULL
                   CHECK (entity = 'asset' OR entity = 'tag' OR entity = 'reason_code'
                          OR entity = 'equipment_state_event'
                          OR entity = 'material' OR entity = 'customer'
                          OR entity = 'sales_order'
                          OR entity = 'sales_order_line'
                          OR entity = 'work_order'
                          OR entity = 'work_order_operator'
                          OR entity = 'inspection' OR entity = 'lot'
                          OR entity = 'lot_link' OR entity = 'personnel'
                          OR entity = 'qualification'
                          OR entity = 'personnel_qualification'
                          OR entity = 'equipment_qualification'
                          OR entity = 'bom_item'),
  canonical_id     INTEGER NOT NULL,
  source_system    TEXT NOT NULL CHECK (length(source_system) > 0),
  external_id      TEXT NOT NULL CHECK (length(external_id) > 0),
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (entity, source_system, external_id)
) STRICT;
CREATE INDEX crosswalk_by_canonical ON crosswalk(entity, canonical_id);
)sql"};

}  // namespace fh::sqlite
