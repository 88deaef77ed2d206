#include "store/sync/sync_site_store.h"

#include <fmt/format.h>

#include "store/sqlite/db.h"

namespace fh {
namespace sync_site_detail {

constexpr const char* kColumns =
    "site, applied_end, records, points, duplicates, first_push_at, last_push_at, newest_ts, "
    "last_appended_at, epoch, catalog_records, catalog_refused, backlog_records, backlog_points, "
    "backlog_bytes";

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
  s.catalog_records = st.Int(10);
  s.catalog_refused = st.Int(11);
  s.backlog_records = st.Int(12);
  s.backlog_points = st.Int(13);
  s.backlog_bytes = st.Int(14);
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
      db_.Cached(
          "INSERT INTO sync_site (site, applied_end, records, points, duplicates, "
          "first_push_at, last_push_at, newest_ts, last_appended_at, epoch, catalog_records, "
          "catalog_refused, backlog_records, backlog_points, backlog_bytes) VALUES (?1, ?2, ?3, "
          "?4, "
          "?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
          "ON CONFLICT (site) DO UPDATE SET "
          // A new outbox (the edge restored, or its outbox started over) counts anew.
          "applied_end = CASE WHEN epoch = excluded.epoch THEN max(applied_end, "
          "excluded.applied_end) ELSE excluded.applied_end END, "
          "epoch = excluded.epoch, "
          "records = records + excluded.records, points = points + excluded.points, "
          "duplicates = duplicates + excluded.duplicates, "
          "last_push_at = excluded.last_push_at, "
          "catalog_records = catalog_records + excluded.catalog_records, "
          "catalog_refused = catalog_refused + excluded.catalog_refused, "
          "backlog_records = excluded.backlog_records, "
          "backlog_points = excluded.backlog_points, backlog_bytes = excluded.backlog_bytes, "
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
      .Bind(9, p.epoch)
      .Bind(10, p.catalog_records)
      .Bind(11, p.catalog_refused)
      .Bind(12, p.backlog_records)
      .Bind(13, p.backlog_points)
      .Bind(14, p.backlog_bytes);
  return st->Run();
}

namespace sync_site_detail {

Result<std::optional<int64_t>> MirroredBatch(sqlite::Db& db, std::string_view site,
                                             int64_t edge_batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db.Cached("SELECT batch_id FROM sync_batch WHERE site = ?1 AND "
                                "edge_batch_id = ?2"));
  st->Bind(1, site).Bind(2, edge_batch_id);
  FH_ASSIGN_OR_RETURN(const bool found, st->Step());
  std::optional<int64_t> out;
  if (found) out = st->Int(0);
  st->Reset();
  return out;
}

Status RememberBatch(sqlite::Db& db, std::string_view site, int64_t edge_batch_id,
                     int64_t batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db.Cached("INSERT INTO sync_batch(site, edge_batch_id, "
                                                   "batch_id) VALUES (?1, ?2, ?3)"));
  st->Bind(1, site).Bind(2, edge_batch_id).Bind(3, batch_id);
  return st->Run();
}

std::string Prefixed(std::string_view site, std::string_view name) {
  return fmt::format("{}/{}", site, name);
}

// Binds `text`, or NULL when it is empty (an edge's column that was NULL).
void BindText(sqlite::Stmt& st, int index, std::string_view text) {
  if (text.empty()) {
    st.BindNull(index);
  } else {
    st.Bind(index, text);
  }
}

}  // namespace sync_site_detail

Result<int64_t> SyncSiteStore::MirrorBatch(std::string_view site, const ForwardedBatch& b) {
  using sync_site_detail::Prefixed;
  if (b.id <= 0) return InvalidArgument("site {}: a batch with id {}", site, b.id);
  FH_ASSIGN_OR_RETURN(const std::optional<int64_t> known,
                      sync_site_detail::MirroredBatch(db_, site, b.id));
  sqlite::Stmt* st = nullptr;
  if (known) {
    FH_ASSIGN_OR_RETURN(
        st, db_.Cached("UPDATE ingest_batch SET status = ?2, finished_at = ?3, records_read = ?4, "
                       "accepted = ?5, quarantined = ?6, duplicates = ?7, stale = ?8, "
                       "warnings = ?9, message = ?10 WHERE id = ?1"));
    st->Bind(1, *known);
  } else {
    FH_ASSIGN_OR_RETURN(
        st, db_.Cached("INSERT INTO ingest_batch(status, finished_at, records_read, accepted, "
                       "quarantined, duplicates, stale, warnings, message, source_system, "
                       "source_object, mapping_version, mapping_name, entity, started_at) "
                       "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                       "?16)"));
    using sync_site_detail::BindText;
    st->Bind(11, b.source_system).Bind(12, Prefixed(site, b.source_object)).Bind(16, b.started_at);
    BindText(*st, 13, b.mapping_version);
    BindText(*st, 14, b.mapping_name.empty() ? "" : Prefixed(site, b.mapping_name));
    BindText(*st, 15, b.entity);
  }
  st->Bind(2, b.status)
      .Bind(3, b.finished_at)
      .Bind(4, b.read)
      .Bind(5, b.accepted)
      .Bind(6, b.quarantined)
      .Bind(7, b.duplicates)
      .Bind(8, b.stale)
      .Bind(9, b.warnings);
  if (b.message) {
    st->Bind(10, std::string_view(*b.message));
  } else {
    st->BindNull(10);
  }
  Status s = st->Run();
  if (!s.ok()) {
    return s.WithContext(fmt::format("site {}: batch {} ({})", site, b.id, b.source_object));
  }
  if (known) return *known;
  const int64_t id = db_.LastInsertRowId();
  FH_RETURN_IF_ERROR(sync_site_detail::RememberBatch(db_, site, b.id, id));
  return id;
}

Result<std::optional<int64_t>> SyncSiteStore::FindMirroredBatch(std::string_view site,
                                                                int64_t edge_batch_id) {
  return sync_site_detail::MirroredBatch(db_, site, edge_batch_id);
}

Result<int64_t> SyncSiteStore::SiteBatch(std::string_view site, int64_t now) {
  FH_ASSIGN_OR_RETURN(const std::optional<int64_t> known,
                      sync_site_detail::MirroredBatch(db_, site, 0));
  if (known) return *known;
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("INSERT INTO ingest_batch(source_system, source_object, status, "
                                 "started_at) VALUES ('sync', ?1, 'running', ?2)"));
  st->Bind(1, site).Bind(2, now);
  FH_RETURN_IF_ERROR(st->Run());
  const int64_t id = db_.LastInsertRowId();
  FH_RETURN_IF_ERROR(sync_site_detail::RememberBatch(db_, site, 0, id));
  return id;
}

Result<RowOwner> SyncSiteStore::OwnerOfRow(std::string_view table, int64_t row_id) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT b.site, t.batch_id IS NULL AND t.source_system IS NULL FROM "
                             "{} t LEFT JOIN sync_batch b ON b.batch_id = t.batch_id WHERE t.id = "
                             "?1",
                             table)));
  st->Bind(1, row_id);
  FH_ASSIGN_OR_RETURN(const bool found, st->Step());
  RowOwner out;
  if (found && !st->IsNull(0)) out.site = std::string(st->Text(0));
  out.claimed = !found || out.site || st->Int(1) == 0;
  st->Reset();
  return out;
}

}  // namespace fh
