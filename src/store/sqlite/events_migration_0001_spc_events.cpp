#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The hub's live events database (events.db), first table: what serve's SPC monitor saw, a
// run rule or a spread limit that fired on live data, as an episode from the subgroup that
// completed the pattern (ts) to the last one that still fired it. One row per episode, updated
// while it grows; the key keeps a restart that judges the same subgroups again from adding it
// twice. The alarm system consumes these.
const Migration kEventsMigration0001SpcEvents = {1, "spc events", R"sql(
CREATE TABLE spc_events (
  id               INTEGER PRIMARY KEY,
  characteristic   TEXT NOT NULL CHECK (length(characteristic) > 0),
  limits_version   INTEGER NOT NULL CHECK (limits_version >= 1),
  chart            TEXT NOT NULL,          -- xbar, i, r, s, mr
  rule             TEXT NOT NULL,          -- nelson-1 .. nelson-8, we-1 .. we-4, beyond-limits
  what             TEXT NOT NULL,
  first_ts         INTEGER NOT NULL,       -- the first point of the pattern
  ts               INTEGER NOT NULL CHECK (ts >= first_ts),
  last_ts          INTEGER NOT NULL CHECK (last_ts >= ts),
  points           INTEGER NOT NULL CHECK (points >= 1),
  value            REAL NOT NULL,          -- the charted statistic at ts
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  raised_at        INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (characteristic, chart, rule, ts)
) STRICT;
CREATE INDEX spc_events_by_time ON spc_events(ts);
)sql"};

}  // namespace fh::sqlite
