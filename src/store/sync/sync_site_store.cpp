#include "store/sync/sync_site_store.h"

#include "store/sqlite/db.h"

namespace fh {
namespace sync_site_detail {

constexpr const char* kColumns =
    "site, applied_end, records, points, duplicates, first_push_at, last_push_at, newest_ts, "
    "last_appended_at, epoch";

SyncSite Read(sqlite::Stmt& st) {
  SyncSite s;
  s.site = std::string(st.Text(0));
  s.applied_end = static_cast<uint64_t>(st.Int(1));
  s.records = st.Int(2);
  s.points = st.Int(3);
  s.duplicates = st.Int(4);
  s.first_push_at = st.Int(5);
  s.last_push_at = st.Int(6);
  if (!st.IsNull(7)) s.newest_ts = st.Int(7);
  if (!st.IsNull(8)) s.last_appended_at = st.Int(8);
  s.epoch = std::string(st.Text(9));
  return s;
}

}  // namespace sync_site_detail

Result<std::optional<SyncSite>> SyncSiteStore::Find(std::string_view site) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached(std::string("SELECT ") + sync_site_detail::kColumns +
                                 " FROM sync_site WHERE site = ?1"));
  st->Bind(1, site);
  FH_ASSIGN_OR_RETURN(const bool found, st->Step());
  std::optional<SyncSite> out;
  if (found) out = sync_site_detail::Read(*st);
  st->Reset();
  return out;
}

Result<std::vector<SyncSite>> SyncSiteStore::List() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached(std::string("SELECT ") + sync_site_detail::kColumns +
                                 " FROM sync_site ORDER BY site"));
  std::vector<SyncSite> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st->Step());
    if (!row) break;
    out.push_back(sync_site_detail::Read(*st));
  }
  st->Reset();
  return out;
}

Status SyncSiteStore::Record(std::string_view site, const SyncPush& p) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("INSERT INTO sync_site (site, applied_end, records, points, duplicates, "
                 "first_push_at, last_push_at, newest_ts, last_appended_at, epoch) VALUES (?1, "
                 "?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9) ON CONFLICT (site) DO UPDATE SET "
                 // A new outbox (the edge restored, or its outbox started over) counts anew.
                 "applied_end = CASE WHEN epoch = excluded.epoch THEN max(applied_end, "
                 "excluded.applied_end) ELSE excluded.applied_end END, "
                 "epoch = excluded.epoch, "
                 "records = records + excluded.records, points = points + excluded.points, "
                 "duplicates = duplicates + excluded.duplicates, "
                 "last_push_at = excluded.last_push_at, "
                 "newest_ts = max(coalesce(newest_ts, excluded.newest_ts), "
                 "coalesce(excluded.newest_ts, newest_ts)), "
                 "last_appended_at = coalesce(excluded.last_appended_at, last_appended_at)"));
  st->Bind(1, site)
      .Bind(2, static_cast<int64_t>(p.applied_end))
      .Bind(3, p.records)
      .Bind(4, p.points)
      .Bind(5, p.duplicates)
      .Bind(6, p.at)
      .Bind(7, p.newest_ts)
      .Bind(8, p.last_appended_at)
      .Bind(9, p.epoch);
  return st->Run();
}

}  // namespace fh
