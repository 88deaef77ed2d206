// The layout of a tag's stored points that makes counting them cheap:
//   - its chunks' time spans [t_min, t_max] do not overlap, and
//   - no point of its row buffer lies inside a chunk's span.
// Then no two stored points of a tag share a timestamp, and the tag's distinct points are
// the SUM(n) of its chunks plus the COUNT(*) of its buffered rows (the row buffer's key is
// (tag, ts)): what ListTags and Stats read, without decoding anything.
//
// Every write keeps it: a write whose points reach into stored ones compacts that tag in
// the same transaction (sqlite_writer.cpp), which costs only when data is overwritten or
// arrives out of order. A hub written by an older factoryhub may not have it: the first
// read-write open repairs it (compacting only the tags that need it) and records so in
// ts_meta ('layout' = 1); a read-only open of such a hub counts those tags the slow way.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "store/sqlite/db.h"

namespace fh::sqlite {

// Whether the database records that its layout is kept.
Result<bool> LayoutKept(Db& db);
// Records it (inside the caller's write transaction).
Status MarkLayoutKept(Db& db);
// The tags whose stored points break the layout (overlapping chunks, buffered points
// inside a chunk): one index look-up per chunk.
Result<std::vector<int64_t>> TagsBreakingLayout(Db& db);
// A tag's distinct stored points, read the slow way (decoding its overlapping chunks).
Result<int64_t> CountDistinctStored(Db& db, int64_t tag_id);

}  // namespace fh::sqlite
