#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Records an import read but did not apply because the store holds a newer version of them
// (a mapping's `version:` field): batches count them as `stale`, and a completed batch's
// counters add up with them. SQLite cannot change a CHECK in place, and other tables refer
// to ingest_batch: it is rebuilt with foreign keys off (Migration::rebuilds_referenced_table),
// its rows, ids and indexes as they were.
const Migration kMigration0015StaleRecords = {15, "stale records", R"sql(
CREATE TABLE ingest_batch_v15 (
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
  mapping_name     TEXT,
  entity           TEXT,
  warnings         INTEGER NOT NULL DEFAULT 0,
  replay_of        INTEGER REFERENCES ingest_batch(id),
  stale            INTEGER NOT NULL DEFAULT 0 CHECK (stale >= 0),
  CHECK (status <> 'completed' OR records_read = accepted + quarantined + duplicates + stale),
  CHECK (finished_at IS NULL OR finished_at >= started_at)
) STRICT;
INSERT INTO ingest_batch_v15(id, source_system, source_object, mapping_version, status,
  started_at, finished_at, records_read, accepted, quarantined, duplicates, message,
  mapping_name, entity, warnings, replay_of)
SELECT id, source_system, source_object, mapping_version, status, started_at, finished_at,
  records_read, accepted, quarantined, duplicates, message, mapping_name, entity, warnings,
  replay_of FROM ingest_batch;
DROP TABLE ingest_batch;
ALTER TABLE ingest_batch_v15 RENAME TO ingest_batch;
CREATE INDEX ingest_batch_by_source ON ingest_batch(source_system, source_object);
CREATE INDEX ingest_batch_by_mapping ON ingest_batch(mapping_name, id);
)sql",
                                              /*rebuilds_referenced_table=*/true};

}  // namespace fh::sqlite
