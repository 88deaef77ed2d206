#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Shared quarantine reasons (docs/governance.md): a client sending 50,000 bad lines for
// the same reason made 50,000 copies of the reason's text, more than the lines themselves.
// A record's reasons (the JSON array) are stored once here, by digest, and the record names
// them; `quarantine.reasons` holds them itself only when they could not be shared (a digest
// taken by another text), and is '' otherwise.
const Migration kMigration0010QuarantineReasons = {10, "quarantine reasons", R"sql(
CREATE TABLE quarantine_reasons (
  id      INTEGER PRIMARY KEY,
  digest  INTEGER NOT NULL UNIQUE,  -- FNV-1a 64 of text (as a signed integer)
  text    TEXT NOT NULL             -- JSON array of {check, rule, severity, field, value, message}
) STRICT;
ALTER TABLE quarantine ADD COLUMN reasons_id INTEGER REFERENCES quarantine_reasons(id);
)sql"};

}  // namespace fh::sqlite
