// The central hub's side of forwarded records (sync/catalog_records.h): an edge's import
// batches mirrored, its records written as an import writes them (upserted on their natural
// key, references resolved by key), its text values stored under "<site>/<tag>".
//
// One site's records never silently replace another's, nor the central hub's own: a record
// whose key is stored here for another site (a work order number two plants both use), with
// other values, is refused — quarantined here under mapping "<site>/sync" with why — and
// the stored one stays. A reference to something the central hub does not hold (an
// inspector: people stay at their plant) is dropped for people, and quarantines the record
// otherwise. Tag metadata is renamed as the points are: "<site>/<tag>".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/catalog_session.h"
#include "store/models/alarm_journal_store.h"

namespace fh::sync {

struct CatalogApplied {
  int64_t records = 0;  // stored or already stored so
  int64_t refused = 0;  // quarantined here
  int64_t batches = 0;  // mirrored
  int64_t texts = 0;    // text values stored
};

// Applies one payload, inside the caller's unit of work. InvalidArgument for a payload that
// is not what an edge sends (the whole push is refused, nothing of it kept).
Status ApplyCatalogPayload(CatalogSession& session, std::string_view site, std::string_view payload,
                           int64_t now, CatalogApplied& applied);

// The alarm events of an alarm payload (sync/catalog_records.h), appended to `out`, for
// AlarmJournalStore::RecordForwarded. InvalidArgument for one that is not what an edge sends.
Status ReadAlarmPayload(std::string_view payload, std::vector<StoredAlarmEvent>& out);

}  // namespace fh::sync
