#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Sharing with partners (docs/sharing.md): on the sending hub, the agreements it revoked
// before they expired (nothing is exported under them again); on the receiving hub, the
// records partners shared, kept apart from its own canonical records (they describe another
// company's plant), one row per record and agreement, the newest package's values.
const Migration kMigration0024Shares = {24, "shares", R"sql(
CREATE TABLE share_revocation (
  agreement   TEXT PRIMARY KEY,
  revoked_at  INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  reason      TEXT NOT NULL
) STRICT;

CREATE TABLE shared_record (
  id              INTEGER PRIMARY KEY,
  agreement       TEXT NOT NULL,
  sender_hub      TEXT NOT NULL,
  entity          TEXT NOT NULL,
  record_key      TEXT NOT NULL,
  fields          TEXT NOT NULL,
  package_sha256  TEXT NOT NULL,
  imported_at     INTEGER NOT NULL,
  UNIQUE (agreement, entity, record_key)
) STRICT;
)sql"};

}  // namespace fh::sqlite
