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
};

// One request's effect on a site's record.
struct SyncPush {
  std::string epoch;
  uint64_t applied_end = 0;  // the end of the last record applied
  int64_t records = 0, points = 0, duplicates = 0;
  int64_t at = 0;
  std::optional<int64_t> newest_ts, last_appended_at;
};

class SyncSiteStore {
 public:
  explicit SyncSiteStore(sqlite::Db& db) : db_(db) {}

  Result<std::optional<SyncSite>> Find(std::string_view site);
  Result<std::vector<SyncSite>> List();
  Status Record(std::string_view site, const SyncPush& push);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
