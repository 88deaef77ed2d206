// Counting the write log's points as distinct points: a logged point whose tag and time a
// stored point or an earlier logged one already has is an overwrite, not a new point.
//
// Cheap in the common case: a tag's points in a segment that all come after its stored
// points and after its earlier segments' points are all new (one comparison). Otherwise
// the stored points in that time span are looked up (the row buffer by key, the chunks
// spanning those times decoded). Each segment's count is computed once and remembered
// (FreshPoints::NewPoints), so /metrics scraping every few seconds pays it once.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>

#include "common/status.h"
#include "store/sqlite/db.h"
#include "store/sqlite_storage/write_log.h"

namespace fh::sqlite {

struct FreshTagCount {
  int64_t points = 0;                     // distinct points that no stored point has
  TimestampNs first_ts = 0, last_ts = 0;  // of all its logged points
};

// Per tag id, the view's points not stored yet. `db` reads in the view's snapshot (the
// caller's ReadTxn). Counts computed are remembered in `memo`. chunks_disjoint: the
// database keeps the layout of layout.h (a faster look-up of a tag's last stored time).
Result<std::unordered_map<int64_t, FreshTagCount>> CountFresh(Db& db, const FreshPoints::View& view,
                                                              FreshPoints& memo,
                                                              bool chunks_disjoint);

// How many of `ts` (sorted, distinct) a stored point of the tag has.
Result<int64_t> CountStoredAt(Db& db, int64_t tag_id, std::span<const TimestampNs> ts);

}  // namespace fh::sqlite
