#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// A central hub's record of the edge hubs that forward to it (docs/sync.md): per site, how
// far its outbox has been applied (a record sent again is recognised and skipped), what it
// sent and when.
const Migration kMigration0027SyncSites = {27, "sync_sites", R"sql(
CREATE TABLE sync_site (
  site          TEXT PRIMARY KEY,
  epoch         TEXT NOT NULL,     -- the edge's outbox (a new one, after a restore, starts at 0)
  applied_end   INTEGER NOT NULL,  -- the edge's outbox position applied up to
  records       INTEGER NOT NULL,
  points        INTEGER NOT NULL,
  duplicates    INTEGER NOT NULL,  -- records received again and skipped
  first_push_at INTEGER NOT NULL,  -- ns since the epoch
  last_push_at  INTEGER NOT NULL,
  newest_ts     INTEGER,           -- the newest point's time received
  last_appended_at INTEGER         -- when the newest record applied was appended at the edge
) WITHOUT ROWID;
)sql"};

}  // namespace fh::sqlite
