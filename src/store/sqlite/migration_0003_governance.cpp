#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Governance of imports (docs/governance.md): mapping versions, quarantined records and
// per-batch check counts for the quality report; and the bill of materials that ERP
// exports carry.
const Migration kMigration0003Governance = {3, "governance", R"sql(
-- Bill of materials: a parent material is made of `quantity` (per one unit of the parent)
-- of each component. Natural key: (parent, component).
CREATE TABLE bom_item (
  id               INTEGER PRIMARY KEY,
  parent_id        INTEGER NOT NULL REFERENCES material(id),
  component_id     INTEGER NOT NULL REFERENCES material(id),
  quantity         REAL NOT NULL CHECK (quantity > 0),
  unit             TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id),
  UNIQUE (parent_id, component_id),
  CHECK (parent_id <> component_id)
) STRICT;
CREATE INDEX bom_item_by_component ON bom_item(component_id);

-- Every distinct text of a mapping is a version; lineage says "name@version".
CREATE TABLE mapping_version (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL CHECK (length(name) > 0),
  version          INTEGER NOT NULL CHECK (version >= 1),
  digest           TEXT NOT NULL,
  entity           TEXT NOT NULL,
  source_system    TEXT NOT NULL,
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  UNIQUE (name, version),
  UNIQUE (name, digest)
) STRICT;

ALTER TABLE ingest_batch ADD COLUMN mapping_name TEXT;
ALTER TABLE ingest_batch ADD COLUMN entity TEXT;
ALTER TABLE ingest_batch ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_batch ADD COLUMN replay_of INTEGER REFERENCES ingest_batch(id);
CREATE INDEX ingest_batch_by_mapping ON ingest_batch(mapping_name, id);

-- A rejected record, whole: its fields by column, its original text, every reason.
-- status: open (waiting), replayed (stored by a later replay), resolved (a later import
-- stored a record with the same natural key).
CREATE TABLE quarantine (
  id               INTEGER PRIMARY KEY,
  batch_id         INTEGER NOT NULL REFERENCES ingest_batch(id),
  mapping_name     TEXT NOT NULL,
  entity           TEXT NOT NULL,
  source_system    TEXT NOT NULL,
  source_object    TEXT NOT NULL,
  source_line      INTEGER,
  source_offset    INTEGER,
  columns          TEXT NOT NULL,  -- JSON array of column names
  fields           TEXT NOT NULL,  -- JSON array of values (null when absent)
  raw              TEXT NOT NULL,
  raw_digest       TEXT NOT NULL,  -- re-importing a rejected record updates its row
  reasons          TEXT NOT NULL,  -- JSON array of {check, rule, field, value, message}
  record_key       TEXT,           -- the natural key, when it could be mapped
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status = 'open' OR status = 'replayed' OR status = 'resolved'),
  resolved_batch_id INTEGER REFERENCES ingest_batch(id),
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX quarantine_by_batch ON quarantine(batch_id);
CREATE INDEX quarantine_by_mapping ON quarantine(mapping_name, status, record_key);
CREATE INDEX quarantine_by_digest ON quarantine(mapping_name, raw_digest) WHERE status = 'open';

-- How many records each check saw and failed, per batch: the quality report's source.
CREATE TABLE batch_check (
  batch_id         INTEGER NOT NULL REFERENCES ingest_batch(id),
  rule             TEXT NOT NULL,
  check_kind       TEXT NOT NULL,
  dimension        TEXT NOT NULL CHECK (dimension = 'completeness' OR dimension = 'validity'
                                        OR dimension = 'uniqueness'
                                        OR dimension = 'timeliness'
                                        OR dimension = 'consistency'),
  severity         TEXT NOT NULL CHECK (severity = 'reject' OR severity = 'warn'),
  field            TEXT NOT NULL DEFAULT '',
  checked          INTEGER NOT NULL CHECK (checked >= 0),
  failed           INTEGER NOT NULL CHECK (failed >= 0),
  PRIMARY KEY (batch_id, rule, field)
) STRICT;
)sql"};

}  // namespace fh::sqlite
