#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Control limits frozen from a baseline for a characteristic of spc.yaml (phase II judges
// new subgroups by them). Each freeze is a new version; old versions stay as the history.
const Migration kMigration0018SpcLimits = {18, "spc limits", R"sql(
CREATE TABLE spc_limits (
  id               INTEGER PRIMARY KEY,
  characteristic   TEXT NOT NULL CHECK (length(characteristic) > 0),
  version          INTEGER NOT NULL CHECK (version >= 1),
  chart            TEXT NOT NULL,          -- xbar-r, xbar-s, i-mr
  subgroup_size    INTEGER NOT NULL CHECK (subgroup_size >= 1),
  location_center  REAL NOT NULL,
  location_lower   REAL NOT NULL,
  location_upper   REAL NOT NULL,
  spread_center    REAL NOT NULL,
  spread_lower     REAL NOT NULL,
  spread_upper     REAL NOT NULL,
  sigma_within     REAL NOT NULL,
  baseline_from    INTEGER NOT NULL,
  baseline_to      INTEGER NOT NULL CHECK (baseline_to >= baseline_from),
  subgroups        INTEGER NOT NULL CHECK (subgroups >= 2),
  frozen_at        INTEGER NOT NULL,
  note             TEXT,
  UNIQUE (characteristic, version)
) STRICT;
)sql"};

}  // namespace fh::sqlite
