#include "sync/sync_receiver.h"

#include <mutex>

#include "store/catalog_session.h"
#include "store/event_session.h"
#include "store/outbox/sample_batch_codec.h"
#include "sync/catalog_apply.h"
#include "sync/catalog_records.h"
#include "sync/sync_protocol.h"

namespace fh::sync {
namespace receiver_detail {

bool IsSiteName(std::string_view site) {
  if (site.empty() || site.size() > 64) return false;
  for (char c : site) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Pushes of one site are applied one at a time: two at once (an edge's retry overtaking its
// first attempt) would both find the same applied end.
std::mutex& SiteMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace receiver_detail

Result<PushResult> ApplyPush(Hub& hub, std::string_view site, std::string_view epoch,
                             std::string_view body, int64_t now_ns,
                             std::optional<EdgeBacklog> backlog) {
  if (!receiver_detail::IsSiteName(site)) {
    return InvalidArgument("site '{}' must be 1..64 letters, digits, '-', '_' or '.'", site);
  }
  FH_ASSIGN_OR_RETURN(std::vector<outbox::Record> records, DecodePush(body));
  std::lock_guard lock(receiver_detail::SiteMutex());
  uint64_t applied = 0;
  bool new_outbox = false;  // the site's first push, or a new outbox's (a restored edge)
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(std::optional<SyncSite> known, session.sync_sites().Find(site));
    if (known && known->epoch == epoch) applied = known->applied_end;
    new_outbox = !known || known->epoch != epoch;
  }
  PushResult result;
  result.applied_end = applied;
  SampleBatch decoded, stored;
  SyncPush push;
  push.at = now_ns;
  push.epoch = std::string(epoch);
  const std::string prefix = std::string(site) + "/";
  std::string name;
  std::vector<const outbox::Record*> catalog;  // applied with the site's position, below
  std::vector<StoredAlarmEvent> alarms;
  for (const outbox::Record& r : records) {
    if (r.end <= applied) {
      ++result.duplicates;
      continue;
    }
    ++result.records;
    result.applied_end = r.end;
    push.last_appended_at = r.appended_ns;
    if (IsCatalogPayload(r.payload)) {
      catalog.push_back(&r);
      continue;
    }
    if (IsAlarmPayload(r.payload)) {
      FH_RETURN_IF_ERROR(
          ReadAlarmPayload(r.payload, alarms)
              .WithContext(fmt::format("record at {} of site {}", r.position, site)));
      continue;
    }
    decoded.Clear();
    FH_RETURN_IF_ERROR(outbox::DecodeSampleBatch(r.payload, &decoded)
                           .WithContext(fmt::format("record at {} of site {}", r.position, site)));
    for (size_t i = 0; i < decoded.size(); ++i) {
      name.assign(prefix).append(decoded.tag_names()[decoded.tag()[i]]);
      if (!IsValidTagName(name)) {
        return InvalidArgument("site {}: tag '{}' is longer than {} bytes with the site before it",
                               site, name.substr(0, 64), kMaxTagNameBytes);
      }
      stored.Add(name, decoded.ts()[i], decoded.value()[i], decoded.quality()[i]);
      push.newest_ts = std::max(push.newest_ts.value_or(decoded.ts()[i]), decoded.ts()[i]);
    }
    result.points += static_cast<int64_t>(decoded.size());
  }
  if (!stored.empty()) FH_RETURN_IF_ERROR(hub.storage().Write(stored));
  // The alarm events, in their own database, before the site's position moves (after, they
  // would not be sent again); sent again before it did, they are recognised by their ids.
  int64_t journaled = 0;
  if (!alarms.empty()) {
    EventSession events = hub.OpenEvents();
    FH_ASSIGN_OR_RETURN(journaled,
                        events.alarm_journal().RecordForwarded(site, alarms, new_outbox));
  }
  push.applied_end = result.applied_end;
  push.records = result.records;
  push.points = result.points;
  push.duplicates = result.duplicates;
  CatalogSession session = hub.OpenCatalog();
  // The records and the site's new position are kept together: a crash before the commit
  // makes the edge send them again, and none is applied twice.
  FH_ASSIGN_OR_RETURN(UnitOfWork work, session.Begin());
  CatalogApplied applied_records;
  for (const outbox::Record* r : catalog) {
    FH_RETURN_IF_ERROR(ApplyCatalogPayload(session, site, r->payload, now_ns, applied_records)
                           .WithContext(fmt::format("record at {} of site {}", r->position, site)));
  }
  push.catalog_records = applied_records.records + applied_records.texts + journaled;
  push.catalog_refused = applied_records.refused;
  if (backlog) {
    push.backlog_records = backlog->records;
    push.backlog_points = backlog->points;
    push.backlog_bytes = backlog->bytes;
  }
  result.catalog_records = push.catalog_records;
  result.catalog_refused = push.catalog_refused;
  FH_RETURN_IF_ERROR(session.sync_sites().Record(site, push));
  FH_RETURN_IF_ERROR(work.Commit());
  return result;
}

}  // namespace fh::sync
