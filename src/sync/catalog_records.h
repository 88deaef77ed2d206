// The relational records an edge hub forwards (docs/sync.md): the rows its change capture
// listed (store/sync/change_capture.h) — orders, equipment state events, inspections, lots,
// assets, tag metadata ... —, its import batches with their counts, and its text values,
// queued in the outbox as records of their own beside the points' records, and applied by
// the central hub in the same order (sync/catalog_apply.h).
//
// A record's payload is kCatalogMagic, then JSON:
//   {"batches": [{"id", "source_system", "source_object", "mapping_version", "mapping",
//                 "entity", "status", "started_at", "finished_at", "read", "accepted",
//                 "quarantined", "duplicates", "stale", "warnings", "message"}],
//    "records": [{"entity", "fields": {name: text|null}, "lineage": {"source_system",
//                 "source_object", "source_line", "mapping_version", "batch"}}],
//    "texts":   [{"tag", "ts", "value"}]}
// The alarm journal's events go in records of their own: kAlarmMagic, then
//   {"alarms": [{"id", "alarm", "equipment", "priority", "event", "ts", "state",
//                "annunciated", "value", "user", "comment", "recorded_at"}]}
// Fields are as `factoryhub records` reads them (a reference as the key it names, a time in
// RFC 3339 with nanoseconds, encrypted fields decrypted: the link is TLS, and the central
// hub encrypts them with its own keys). A points record starts with its tag count, which is
// never these bytes' (it would need gigabytes).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "store/hub.h"

namespace fh::sync {

inline constexpr std::string_view kCatalogMagic = "FHC1";

inline constexpr std::string_view kAlarmMagic = "FHA1";

inline bool IsCatalogPayload(std::string_view payload) {
  return payload.substr(0, kCatalogMagic.size()) == kCatalogMagic;
}
inline bool IsAlarmPayload(std::string_view payload) {
  return payload.substr(0, kAlarmMagic.size()) == kAlarmMagic;
}

struct QueuedCatalog {
  int64_t changes = 0;  // listed changes taken (a row changed twice is sent once)
  int64_t records = 0, batches = 0, texts = 0;
};

// Queues up to `max_changes` of the hub's pending changes as one outbox record, then forgets
// them (a crash between the two queues them again: the central hub finds them unchanged).
// Nothing to do: zero counts.
Result<QueuedCatalog> QueueCatalogChanges(Hub& hub, int64_t max_changes = 2000);

// Queues up to `max_events` of the alarm journal's events not yet queued (the journal only
// grows: a mark says how far it was queued, moved after the record is in the outbox).
// Returns how many.
Result<int64_t> QueueAlarmEvents(Hub& hub, int64_t max_events = 2000);

}  // namespace fh::sync
