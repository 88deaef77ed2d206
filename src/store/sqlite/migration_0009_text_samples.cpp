#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Text values (model/text_sample.h): the string fields of line protocol, per tag and time,
// last write wins. Beside the numeric store, not in it: they are few, never aggregated,
// and up to 64 KiB each. A rowid table (not WITHOUT ROWID) because rows may be large.
const Migration kMigration0009TextSamples = {9, "text samples", R"sql(
CREATE TABLE text_sample (
  tag    TEXT NOT NULL,     -- named as numeric tags are ("machine/id=m7/status")
  ts     INTEGER NOT NULL,  -- ns since the epoch, UTC
  value  TEXT NOT NULL,     -- UTF-8, at most 65536 bytes
  PRIMARY KEY (tag, ts)
) STRICT;
)sql"};

}  // namespace fh::sqlite
