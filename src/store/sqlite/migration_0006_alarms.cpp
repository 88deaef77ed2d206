#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Alarms raised by models (docs/ml.md): a prediction at or above its model's threshold, with
// the equipment, the time and the features that pushed it most. One alarm per model name,
// equipment and time, however often the same data is scored.
const Migration kMigration0006Alarms = {6, "alarms", R"sql(
CREATE TABLE alarm (
  id           INTEGER PRIMARY KEY,
  model        TEXT NOT NULL,                 -- name@version that raised it
  model_name   TEXT NOT NULL,
  equipment    TEXT NOT NULL,                 -- asset path, or the unit
  ts           INTEGER NOT NULL,              -- the scored row's time
  probability  REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
  threshold    REAL NOT NULL,
  reasons      TEXT NOT NULL,                 -- JSON: [{feature, value, contribution}]
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'acknowledged'),
  created_at   INTEGER NOT NULL,
  UNIQUE (model_name, equipment, ts)
) STRICT;
CREATE INDEX alarm_by_time ON alarm(ts);
)sql"};

}  // namespace fh::sqlite
