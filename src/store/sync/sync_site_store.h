// What a central hub keeps of the edge hubs that forward to it (docs/sync.md): per site how
// far the edge's outbox is applied, so that a request sent again (the edge did not hear the
// answer) is recognised; and what it sent, for `factoryhub sync status` and /api/v1/sync.
// Use through a CatalogSession.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/sync/change_capture.h"

namespace fh {

namespace sqlite {
class Db;
}

struct SyncSite {
  std::string site;
  std::string epoch;  // the edge's outbox applied_end counts in
  uint64_t applied_end = 0;
  int64_t records = 0, points = 0, duplicates = 0;
  int64_t first_push_at = 0, last_push_at = 0;
  std::optional<int64_t> newest_ts, last_appended_at;
  // Relational records (orders, events, inspections ...) applied, and refused (quarantined
  // here: another site's record has their key, or a reference names nothing).
  int64_t catalog_records = 0, catalog_refused = 0;
  // The edge's outbox after its last push, as it said (what the central hub cannot see).
  int64_t backlog_records = 0, backlog_points = 0, backlog_bytes = 0;
};

// One request's effect on a site's record.
struct SyncPush {
  std::string epoch;
  uint64_t applied_end = 0;  // the end of the last record applied
  int64_t records = 0, points = 0, duplicates = 0;
  int64_t at = 0;
  std::optional<int64_t> newest_ts, last_appended_at;
  int64_t catalog_records = 0, catalog_refused = 0;
  int64_t backlog_records = 0, backlog_points = 0, backlog_bytes = 0;
};

// Whose a stored row is: a site's (its batch mirrors one of the site's), nobody's (made on
// the way with no source: a tag the points' store created on its first point, an asset
// created as the parent of another), or this hub's own.
struct RowOwner {
  std::optional<std::string> site;
  bool claimed = true;  // false: nobody's
};

class SyncSiteStore {
 public:
  explicit SyncSiteStore(sqlite::Db& db) : db_(db) {}

  Result<std::optional<SyncSite>> Find(std::string_view site);
  Result<std::vector<SyncSite>> List();
  Status Record(std::string_view site, const SyncPush& push);

  // The batch here that mirrors the site's import batch (inserted or updated to its
  // counts): what the site's records name as their batch. Its source object and mapping are
  // the edge's with "<site>/" before them.
  Result<int64_t> MirrorBatch(std::string_view site, const ForwardedBatch& batch);
  // The batch here mirroring the site's batch `edge_batch_id`, if it was forwarded.
  Result<std::optional<int64_t>> FindMirroredBatch(std::string_view site, int64_t edge_batch_id);
  // The batch here of the site's records that came without one (created on first use).
  Result<int64_t> SiteBatch(std::string_view site, int64_t now);
  // Whose a row of `table` is (by its batch).
  Result<RowOwner> OwnerOfRow(std::string_view table, int64_t row_id);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
