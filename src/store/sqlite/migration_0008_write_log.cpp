#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The write log of the embedded store (store/sqlite_storage/write_log.h): small writes of
// many tags are appended here as one compressed row each, then moved into the row buffer
// and chunks in bulk. log_flushed_seq: every entry up to it has been moved (and deleted).
const Migration kMigration0008WriteLog = {8, "write log", R"sql(
CREATE TABLE sample_log (
  seq   INTEGER PRIMARY KEY,   -- the write sequence number of the write
  data  BLOB NOT NULL          -- its points by tag, zstd-compressed columns
);
INSERT INTO ts_meta(key, value) VALUES ('log_flushed_seq', 0);
)sql"};

}  // namespace fh::sqlite
