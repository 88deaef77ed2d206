#include "store/sqlite_storage/fresh_counts.h"

#include <algorithm>
#include <optional>

#include "store/codec/chunk_codec.h"

namespace fh::sqlite {

namespace {

// The latest stored time of a tag, if it has stored points. When chunks do not overlap
// (layout.h), the chunk that starts last ends last: one index look-up.
Result<std::optional<TimestampNs>> StoredLast(Db& db, int64_t tag_id, bool chunks_disjoint) {
  FH_ASSIGN_OR_RETURN(
      Stmt * sel,
      db.Cached(chunks_disjoint
                    ? "SELECT (SELECT t_max FROM sample_chunk WHERE tag_id = ?1 ORDER BY t_min "
                      "DESC LIMIT 1), (SELECT MAX(ts) FROM sample_buffer WHERE tag_id = ?1)"
                    : "SELECT (SELECT MAX(t_max) FROM sample_chunk WHERE tag_id = ?1), "
                      "(SELECT MAX(ts) FROM sample_buffer WHERE tag_id = ?1)"));
  sel->Bind(1, tag_id);
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  std::optional<TimestampNs> last;
  for (int column = 0; row && column < 2; ++column) {
    if (std::optional<int64_t> t = sel->OptInt(column)) last = last ? std::max(*last, *t) : *t;
  }
  sel->Reset();
  return last;
}

// The points of segment `index`'s tag range `r` that no earlier segment of `view` and no
// stored point has.
Result<int64_t> CountNew(Db& db, const FreshPoints::View& view, size_t index,
                         const LogSegment::TagRange& r) {
  const LogSegment& segment = *view[index];
  const TimestampNs first = segment.ts[r.begin], last = segment.ts[r.end - 1];
  std::vector<TimestampNs> earlier;  // earlier segments' times in [first, last]
  for (size_t i = 0; i < index; ++i) {
    const LogSegment::TagRange* e = view[i]->Find(r.tag_id);
    if (!e) continue;
    const auto begin = view[i]->ts.begin() + e->begin, end = view[i]->ts.begin() + e->end;
    earlier.insert(earlier.end(), std::lower_bound(begin, end, first),
                   std::upper_bound(begin, end, last));
  }
  std::sort(earlier.begin(), earlier.end());
  std::vector<TimestampNs> candidates;  // segment times no earlier segment has
  for (uint32_t i = r.begin; i < r.end; ++i) {
    if (!std::binary_search(earlier.begin(), earlier.end(), segment.ts[i])) {
      candidates.push_back(segment.ts[i]);
    }
  }
  FH_ASSIGN_OR_RETURN(int64_t stored, CountStoredAt(db, r.tag_id, candidates));
  return static_cast<int64_t>(candidates.size()) - stored;
}

}  // namespace

Result<int64_t> CountStoredAt(Db& db, int64_t tag_id, std::span<const TimestampNs> ts) {
  if (ts.empty()) return int64_t{0};
  std::vector<bool> found(ts.size(), false);
  auto mark = [&](TimestampNs t) {
    auto it = std::lower_bound(ts.begin(), ts.end(), t);
    if (it != ts.end() && *it == t) found[it - ts.begin()] = true;
  };
  FH_ASSIGN_OR_RETURN(Stmt * buffered,
                      db.Cached("SELECT ts FROM sample_buffer WHERE tag_id = ? AND ts >= ? AND "
                                "ts <= ?"));
  buffered->Bind(1, tag_id).Bind(2, ts.front()).Bind(3, ts.back());
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, buffered->Step());
    if (!row) break;
    mark(buffered->Int(0));
  }
  buffered->Reset();
  FH_ASSIGN_OR_RETURN(Stmt * chunks,
                      db.Cached("SELECT t_min, t_max, data FROM sample_chunk WHERE tag_id = ? "
                                "AND t_min <= ? AND t_max >= ?"));
  chunks->Bind(1, tag_id).Bind(2, ts.back()).Bind(3, ts.front());
  codec::DecodeBuffer<int64_t> chunk_ts;
  codec::DecodeBuffer<double> chunk_values;
  Status status;
  while (true) {
    Result<bool> row = chunks->Step();
    if (!row.ok()) {
      status = row.status();
      break;
    }
    if (!*row) break;
    // Decoded only if one of the times asked for lies in its span.
    const TimestampNs t_min = chunks->Int(0), t_max = chunks->Int(1);
    auto in_span = std::lower_bound(ts.begin(), ts.end(), t_min);
    if (in_span == ts.end() || *in_span > t_max) continue;
    status = codec::DecodeTimestampsAndValues(chunks->Blob(2), &chunk_ts, &chunk_values);
    if (!status.ok()) {
      status = status.WithContext(fmt::format("chunk [{}, {}] of tag id {}", t_min, t_max, tag_id));
      break;
    }
    for (TimestampNs t : chunk_ts)
      mark(t);
  }
  chunks->Reset();
  FH_RETURN_IF_ERROR(status);
  return static_cast<int64_t>(std::count(found.begin(), found.end(), true));
}

Result<std::unordered_map<int64_t, FreshTagCount>> CountFresh(Db& db, const FreshPoints::View& view,
                                                              FreshPoints& memo,
                                                              bool chunks_disjoint) {
  std::unordered_map<int64_t, FreshTagCount> counts;
  std::unordered_map<int64_t, std::optional<TimestampNs>> stored_last;  // looked up on need
  for (size_t index = 0; index < view.size(); ++index) {
    const LogSegment& segment = *view[index];
    for (const LogSegment::TagRange& r : segment.tags) {
      if (r.begin == r.end) continue;
      const TimestampNs first = segment.ts[r.begin], last = segment.ts[r.end - 1];
      auto [it, is_new_tag] = counts.try_emplace(r.tag_id);
      FreshTagCount& count = it->second;
      // Before this segment, the tag's logged points ended at count.last_ts (if any).
      std::optional<TimestampNs> logged_last;
      if (!is_new_tag) logged_last = count.last_ts;
      std::optional<int64_t> added = memo.NewPoints(segment.seq, r.tag_id);
      if (!added) {
        if (!stored_last.contains(r.tag_id)) {
          FH_ASSIGN_OR_RETURN(stored_last[r.tag_id], StoredLast(db, r.tag_id, chunks_disjoint));
        }
        const std::optional<TimestampNs>& stored = stored_last[r.tag_id];
        const bool after_all =
            (!stored || first > *stored) && (!logged_last || first > *logged_last);
        if (after_all) {
          added = static_cast<int64_t>(r.end - r.begin);
        } else {
          FH_ASSIGN_OR_RETURN(added, CountNew(db, view, index, r));
        }
        memo.SetNewPoints(segment.seq, r.tag_id, *added);
      }
      count.points += *added;
      count.first_ts = is_new_tag ? first : std::min(count.first_ts, first);
      count.last_ts = is_new_tag ? last : std::max(count.last_ts, last);
    }
  }
  return counts;
}

}  // namespace fh::sqlite
