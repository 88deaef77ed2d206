#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// On a central hub: per edge site, the last of its alarm journal's events applied here
// (docs/sync.md). An event sent again (the edge did not hear the answer) has an id at or
// below it and is skipped; the journal and this mark change in one transaction.
const Migration kEventsMigration0003SyncAlarms = {3, "sync_alarms", R"sql(
CREATE TABLE sync_alarm_applied (
  site     TEXT PRIMARY KEY,
  last_id  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql"};

}  // namespace fh::sqlite
