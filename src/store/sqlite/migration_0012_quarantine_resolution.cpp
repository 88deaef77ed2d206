#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Quarantined records fixed another way (`quarantine resolve ID --reason`) or that need
// no fix (`quarantine dismiss ID --reason`): the status 'dismissed' beside open, replayed
// and resolved, and why and when a person closed an entry. SQLite cannot change a CHECK
// constraint in place: the table is rebuilt, its rows and indexes as they were.
const Migration kMigration0012QuarantineResolution = {12, "quarantine resolution", R"sql(
CREATE TABLE quarantine_v12 (
  id               INTEGER PRIMARY KEY,
  batch_id         INTEGER NOT NULL REFERENCES ingest_batch(id),
  mapping_name     TEXT NOT NULL,
  entity           TEXT NOT NULL,
  source_system    TEXT NOT NULL,
  source_object    TEXT NOT NULL,
  source_line      INTEGER,
  source_offset    INTEGER,
  columns          TEXT NOT NULL,
  fields           TEXT NOT NULL,
  raw              TEXT NOT NULL,
  raw_digest       TEXT NOT NULL,
  reasons          TEXT NOT NULL,
  record_key       TEXT,
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status = 'open' OR status = 'replayed' OR status = 'resolved'
                          OR status = 'dismissed'),
  resolved_batch_id INTEGER REFERENCES ingest_batch(id),
  created_at       INTEGER NOT NULL,
  reasons_id       INTEGER REFERENCES quarantine_reasons(id),
  resolution       TEXT,     -- why a person resolved or dismissed it
  resolved_at      INTEGER   -- when (ns since the epoch)
) STRICT;
INSERT INTO quarantine_v12(id, batch_id, mapping_name, entity, source_system, source_object,
  source_line, source_offset, columns, fields, raw, raw_digest, reasons, record_key, status,
  resolved_batch_id, created_at, reasons_id)
SELECT id, batch_id, mapping_name, entity, source_system, source_object, source_line,
  source_offset, columns, fields, raw, raw_digest, reasons, record_key, status,
  resolved_batch_id, created_at, reasons_id FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_v12 RENAME TO quarantine;
CREATE INDEX quarantine_by_batch ON quarantine(batch_id);
CREATE INDEX quarantine_by_mapping ON quarantine(mapping_name, status, record_key);
CREATE INDEX quarantine_by_digest ON quarantine(mapping_name, raw_digest) WHERE status = 'open';
)sql"};

}  // namespace fh::sqlite
