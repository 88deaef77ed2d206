#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Records stored with a warning (a rule of severity warn failed): which rows, which rules,
// per batch, not only how many. Reasons are shared with the quarantine's
// (quarantine_reasons): a warning repeated on every row of a file is stored once.
const Migration kMigration0013RecordWarnings = {13, "record warnings", R"sql(
CREATE TABLE record_warning (
  id           INTEGER PRIMARY KEY,
  batch_id     INTEGER NOT NULL REFERENCES ingest_batch(id),
  source_line  INTEGER,
  record_key   TEXT,
  reasons_id   INTEGER REFERENCES quarantine_reasons(id),
  reasons      TEXT NOT NULL  -- JSON array as in quarantine, '' when reasons_id names it
) STRICT;
CREATE INDEX record_warning_by_batch ON record_warning(batch_id, id);
)sql"};

}  // namespace fh::sqlite
