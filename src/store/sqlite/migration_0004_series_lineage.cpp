#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Lineage of time series (docs/governance.md): storing a line per point would cost more
// than the point (about 1.5 bytes), so an import records, per tag it wrote, the time span,
// count and source lines of the points it stored. `factoryhub lineage sample TAG TIME`
// reads it.
const Migration kMigration0004SeriesLineage = {4, "series_lineage", R"sql(
CREATE TABLE batch_series (
  tag_id      INTEGER NOT NULL REFERENCES tag(id),
  batch_id    INTEGER NOT NULL REFERENCES ingest_batch(id),
  first_ts    INTEGER NOT NULL,
  last_ts     INTEGER NOT NULL,
  samples     INTEGER NOT NULL CHECK (samples > 0),
  first_line  INTEGER,
  last_line   INTEGER,
  PRIMARY KEY (tag_id, batch_id),
  CHECK (last_ts >= first_ts),
  CHECK (last_line IS NULL OR first_line IS NULL OR last_line >= first_line)
) STRICT, WITHOUT ROWID;
)sql"};

}  // namespace fh::sqlite
