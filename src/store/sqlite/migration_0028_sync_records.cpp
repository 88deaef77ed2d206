#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Forwarding the relational records too (docs/sync.md), not only the time series.
// On an edge hub: sync_change lists the catalog rows written since they were last queued for
// the central hub. Triggers fill it (store/sync/change_capture.h); they exist only while the
// hub forwards, so a hub that does not pays nothing.
// On a central hub: sync_batch maps each edge's import batches to the batches mirroring them
// here (edge batch 0: the site's records that came without one), which is also how a row
// tells which site it belongs to; sync_site counts the records applied and refused, and
// keeps the backlog the edge reported with its last push.
const Migration kMigration0028SyncRecords = {28, "sync_records", R"sql(
CREATE TABLE sync_change (
  seq     INTEGER PRIMARY KEY,
  entity  TEXT NOT NULL,
  row_id  INTEGER NOT NULL
) STRICT;
CREATE TABLE sync_batch (
  site           TEXT NOT NULL,
  edge_batch_id  INTEGER NOT NULL,
  batch_id       INTEGER NOT NULL REFERENCES ingest_batch(id),
  PRIMARY KEY (site, edge_batch_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX sync_batch_by_batch ON sync_batch(batch_id);
ALTER TABLE sync_site ADD COLUMN catalog_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_site ADD COLUMN catalog_refused INTEGER NOT NULL DEFAULT 0;
-- What the edge said was still waiting in its outbox after its last push.
ALTER TABLE sync_site ADD COLUMN backlog_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_site ADD COLUMN backlog_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_site ADD COLUMN backlog_bytes INTEGER NOT NULL DEFAULT 0;
)sql"};

}  // namespace fh::sqlite
