// Change capture on an edge hub (docs/sync.md): which rows of the relational store were
// written since they were last queued for the central hub. Triggers on the forwarded tables
// list each inserted or updated row in sync_change (migration 0028), whichever process and
// code path wrote it (an import, the API, a connector, the simulator); the forwarder turns
// them into outbox records (sync/catalog_records.h) and forgets them once queued.
//
// The triggers exist only while the hub forwards (a `sync:` section): Hub opens the catalog
// with SetChangeCapture(db, forwarding), which creates or drops them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/lineage.h"
#include "model/text_sample.h"

namespace fh::sqlite {
class Db;
}

namespace fh {

// The entities forwarded, in an order where each refers only to entities before it (or to
// itself: an asset's parent is created first), so that records applied in this order find
// what they refer to. Left out: people and who did what (personnel, their qualifications,
// work-order operators): personal data stays at the plant; the crosswalk, which is the
// plant's own systems' ids.
std::span<const std::string_view> ForwardedEntities();
// Besides the entities: import batches (their counts: read, accepted, quarantined ...) and
// text values.
inline constexpr std::string_view kBatchChange = "ingest_batch";
inline constexpr std::string_view kTextChange = "text_sample";

struct CatalogChange {
  int64_t seq = 0;
  std::string entity;  // a forwarded entity, kBatchChange or kTextChange
  int64_t row_id = 0;
};

// An import batch as an edge forwards it: what the central hub mirrors (its counts are the
// plant's quarantine counts).
struct ForwardedBatch {
  int64_t id = 0;
  std::string source_system, source_object, mapping_version, mapping_name, entity, status;
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  int64_t read = 0, accepted = 0, quarantined = 0, duplicates = 0, stale = 0, warnings = 0;
  std::optional<std::string> message;
};

// Creates the triggers (`on`), or drops them and forgets what they listed.
Status SetChangeCapture(sqlite::Db& db, bool on);

// The listed changes, and the rows they name. Use through a CatalogSession.
class ChangeLog {
 public:
  explicit ChangeLog(sqlite::Db& db) : db_(db) {}
  // The oldest `limit` changes, in the order they were made.
  Result<std::vector<CatalogChange>> Pending(int64_t limit);
  Result<int64_t> CountPending();
  // Forgets the changes up to `seq` (queued for the central hub).
  Status Forget(int64_t seq);

  // The rows, by id (those deleted since are left out).
  Result<std::vector<ForwardedBatch>> Batches(std::span<const int64_t> ids);
  Result<std::vector<TextSample>> Texts(std::span<const int64_t> rowids);
  // The lineage columns of rows of `table` (a forwarded entity's), by id.
  Result<std::vector<std::pair<int64_t, Lineage>>> Lineages(std::string_view table,
                                                            std::span<const int64_t> ids);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
