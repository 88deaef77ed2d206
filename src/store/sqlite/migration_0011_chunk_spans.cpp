#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The chunks' spans and counts in an index of their own: counting a hub's points (Stats,
// ListTags: every /metrics scrape) and finding the chunks a time range touches then read
// the index, not every chunk row with its compressed data. It starts with (tag_id, t_min),
// so it replaces sample_chunk_by_tag_time.
const Migration kMigration0011ChunkSpans = {11, "chunk spans", R"sql(
CREATE INDEX sample_chunk_span ON sample_chunk(tag_id, t_min, t_max, n, seq);
DROP INDEX sample_chunk_by_tag_time;
)sql"};

}  // namespace fh::sqlite
