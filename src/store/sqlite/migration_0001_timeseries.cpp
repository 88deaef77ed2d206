#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Values are stored as the IEEE-754 bits in an INTEGER (SQLite would turn a REAL NaN into
// NULL, losing it). `seq` orders writes: for equal (tag, ts) the higher seq wins.
const Migration kMigration0001Timeseries = {1, "tags and time series", R"sql(
CREATE TABLE tag (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Counters of the time-series store (next write sequence number).
CREATE TABLE ts_meta (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO ts_meta(key, value) VALUES ('write_seq', 0);

-- Compressed column chunks: one tag, points with strictly increasing ts in [t_min, t_max].
-- v_min, v_max and v_sum are NULL when the chunk holds a NaN (then it must be decoded).
CREATE TABLE sample_chunk (
  id     INTEGER PRIMARY KEY,
  tag_id INTEGER NOT NULL REFERENCES tag(id),
  t_min  INTEGER NOT NULL,
  t_max  INTEGER NOT NULL,
  n      INTEGER NOT NULL,
  v_min  REAL,
  v_max  REAL,
  v_sum  REAL,
  seq    INTEGER NOT NULL,
  data   BLOB NOT NULL
);
CREATE INDEX sample_chunk_by_tag_time ON sample_chunk(tag_id, t_min);

-- Fresh points waiting to be compacted into chunks.
CREATE TABLE sample_buffer (
  tag_id      INTEGER NOT NULL REFERENCES tag(id),
  ts          INTEGER NOT NULL,
  value_bits  INTEGER NOT NULL,
  quality     INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (tag_id, ts)
) WITHOUT ROWID;
)sql"};

}  // namespace fh::sqlite
