#include "store/sqlite_storage/layout.h"

#include "store/sqlite_storage/series_reader.h"

namespace fh::sqlite {

namespace {

constexpr int64_t kLayoutVersion = 1;

class CountVisitor final : public SeriesVisitor {
 public:
  bool wants_quality() const override { return false; }
  bool TakeSummary(const ChunkSummary& summary) override {
    count += summary.count;
    return true;
  }
  bool Points(std::span<const TimestampNs> ts, std::span<const double>,
              std::span<const uint32_t>) override {
    count += static_cast<int64_t>(ts.size());
    return true;
  }
  int64_t count = 0;
};

}  // namespace

Result<bool> LayoutKept(Db& db) {
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT value FROM ts_meta WHERE key = 'layout'"));
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  const bool kept = row && sel->Int(0) >= kLayoutVersion;
  sel->Reset();
  return kept;
}

Status MarkLayoutKept(Db& db) {
  FH_ASSIGN_OR_RETURN(Stmt * upsert,
                      db.Cached("INSERT INTO ts_meta(key, value) VALUES('layout', ?) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return upsert->Bind(1, kLayoutVersion).Run();
}

Result<std::vector<int64_t>> TagsBreakingLayout(Db& db) {
  // Two spans overlap when one starts inside the other.
  FH_ASSIGN_OR_RETURN(
      Stmt * sel, db.Cached("SELECT a.tag_id FROM sample_chunk a JOIN sample_chunk b "
                            "ON b.tag_id = a.tag_id AND b.t_min >= a.t_min AND b.t_min <= a.t_max "
                            "AND b.id <> a.id "
                            "UNION "
                            "SELECT c.tag_id FROM sample_chunk c JOIN sample_buffer s "
                            "ON s.tag_id = c.tag_id AND s.ts >= c.t_min AND s.ts <= c.t_max "
                            "ORDER BY 1"));
  std::vector<int64_t> tags;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, sel->Step());
    if (!row) break;
    tags.push_back(sel->Int(0));
  }
  sel->Reset();
  return tags;
}

Result<int64_t> CountDistinctStored(Db& db, int64_t tag_id) {
  CountVisitor visitor;
  FH_RETURN_IF_ERROR(ReadSeries(db, tag_id, TimeRange{}, visitor));
  return visitor.count;
}

}  // namespace fh::sqlite
