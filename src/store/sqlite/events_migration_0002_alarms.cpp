#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The alarm system's tables (docs/alarms.md): the journal of every alarm event (ISA-18.2's
// alarm log: activations, clears, operators' acknowledgements, shelving, resets and
// comments, each with who and when), each alarm's state now (a restarted server continues
// where it stopped), and the operators' actions asked for from the CLI, which the server
// running the hub's alarms applies and answers.
const Migration kEventsMigration0002Alarms = {2, "alarms", R"sql(
CREATE TABLE alarm_journal (
  id           INTEGER PRIMARY KEY,
  alarm        TEXT NOT NULL CHECK (length(alarm) > 0),
  equipment    TEXT NOT NULL,
  priority     TEXT NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  event        TEXT NOT NULL CHECK (event IN ('activated', 'cleared', 'acknowledged', 'reset',
                 'shelved', 'unshelved', 'suppressed', 'unsuppressed', 'removed-from-service',
                 'returned-to-service', 're-alarmed', 'comment')),
  ts           INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('normal', 'unacknowledged', 'acknowledged',
                 'returned-unacknowledged', 'latched', 'shelved', 'suppressed',
                 'out-of-service')),
  annunciated  INTEGER NOT NULL CHECK (annunciated IN (0, 1)),
  value        REAL,                   -- what raised or cleared it
  user         TEXT NOT NULL DEFAULT '',  -- who acted (operators' events)
  comment      TEXT NOT NULL DEFAULT '',
  recorded_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX alarm_journal_by_time ON alarm_journal(ts);
CREATE INDEX alarm_journal_by_alarm ON alarm_journal(alarm, ts);

CREATE TABLE alarm_states (
  alarm            TEXT PRIMARY KEY,
  state            TEXT NOT NULL,
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  acknowledged     INTEGER NOT NULL CHECK (acknowledged IN (0, 1)),
  latched          INTEGER NOT NULL CHECK (latched IN (0, 1)),
  shelving         TEXT NOT NULL CHECK (shelving IN ('unshelved', 'timed', 'one-shot')),
  shelved_until    INTEGER NOT NULL,
  suppressed       INTEGER NOT NULL CHECK (suppressed IN (0, 1)),
  out_of_service   INTEGER NOT NULL CHECK (out_of_service IN (0, 1)),
  active_since     INTEGER NOT NULL,
  acknowledged_at  INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE alarm_actions (
  id            INTEGER PRIMARY KEY,
  alarm         TEXT NOT NULL,
  action        TEXT NOT NULL CHECK (action IN ('acknowledge', 'shelve', 'unshelve', 'reset',
                  'remove', 'return', 'comment')),
  until         INTEGER,               -- shelve: its end; null: until the alarm clears
  user          TEXT NOT NULL,
  comment       TEXT NOT NULL DEFAULT '',
  requested_at  INTEGER NOT NULL,
  outcome       TEXT,                  -- null: not applied yet; 'applied', or why it was refused
  done_at       INTEGER
) STRICT;
CREATE INDEX alarm_actions_pending ON alarm_actions(id) WHERE outcome IS NULL;
)sql"};

}  // namespace fh::sqlite
