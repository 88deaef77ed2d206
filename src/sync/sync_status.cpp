#include "sync/sync_status.h"

#include <fstream>

#include "common/time.h"
#include "store/catalog_session.h"
#include "store/outbox/outbox.h"
#include "store/sync/change_capture.h"
#include "store/sync/sync_site_store.h"

namespace fh::sync {
namespace status_detail {

nlohmann::ordered_json Time(int64_t ns) {
  if (ns == 0) return nullptr;
  return FormatRfc3339(ns);
}

nlohmann::ordered_json Seconds(int64_t ns) {
  return static_cast<double>(ns / 1'000'000) / 1000.0;
}

}  // namespace status_detail

Result<nlohmann::ordered_json> SyncStatusJson(Hub& hub, const Forwarder* live, int64_t now_ns) {
  using status_detail::Seconds;
  using status_detail::Time;
  nlohmann::ordered_json out;
  const SyncConfig& config = hub.config().sync;
  if (!config.central.empty()) {
    std::unique_ptr<outbox::Outbox> opened;
    outbox::Outbox* box = hub.outbox();
    if (box == nullptr) {
      FH_ASSIGN_OR_RETURN(opened, outbox::Outbox::Open(hub.dir() / "sync" / "outbox", {}));
      box = opened.get();
    }
    FH_ASSIGN_OR_RETURN(outbox::OutboxState s, box->State());
    ForwarderState f;
    if (live != nullptr) {
      f = live->State();
    } else {
      std::ifstream in(ForwarderStateFile(hub));
      nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
      if (j.is_object()) {
        f.running = false;  // a state file says what the last serve did, not that it runs
        f.sent_records = j.value("sent_records", int64_t{0});
        f.sent_points = j.value("sent_points", int64_t{0});
        f.duplicates = j.value("duplicates", int64_t{0});
        f.last_ok_at = j.value("last_ok_at", int64_t{0});
        f.last_error_at = j.value("last_error_at", int64_t{0});
        f.last_error = j.value("last_error", std::string());
      }
    }
    const int64_t lag = s.oldest_unsent_ns == 0 ? 0 : now_ns - s.oldest_unsent_ns;
    int64_t changes = 0;
    {
      CatalogSession session = hub.OpenCatalog();
      FH_ASSIGN_OR_RETURN(changes, session.change_log().CountPending());
    }
    out["edge"] = {{"central", config.central},
                   {"site", config.site},
                   {"lag_seconds", Seconds(lag)},
                   {"backlog",
                    {{"records", s.unsent_records},
                     {"points", s.unsent_points},
                     {"bytes", static_cast<int64_t>(s.tail - s.acked)},
                     {"oldest", Time(s.oldest_unsent_ns)},
                     // Rows of orders, events, inspections ... written, not yet queued.
                     {"changed_rows", changes},
                     {"limit_mb", config.backlog_mb},
                     {"limit_days", config.backlog_days}}},
                   {"dropped", {{"records", s.dropped_records}, {"points", s.dropped_points}}},
                   {"forwarder",
                    {{"running", f.running},
                     {"sent_records", f.sent_records},
                     {"sent_points", f.sent_points},
                     {"resent_records", f.duplicates},
                     {"last_ok", Time(f.last_ok_at)},
                     {"last_error", f.last_error.empty() ? nlohmann::ordered_json()
                                                         : nlohmann::ordered_json(f.last_error)},
                     {"last_error_at", Time(f.last_error_at)}}}};
  }
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<SyncSite> sites, session.sync_sites().List());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const SyncSite& site : sites) {
    list.push_back(
        {{"site", site.site},
         {"records", site.records},
         {"points", site.points},
         {"resent_records", site.duplicates},
         {"first_push", Time(site.first_push_at)},
         {"last_push", Time(site.last_push_at)},
         {"newest_point", site.newest_ts ? Time(*site.newest_ts) : nlohmann::ordered_json()},
         {"rows", {{"applied", site.catalog_records}, {"quarantined", site.catalog_refused}}},
         // The edge's outbox after its last push, as it said.
         {"backlog",
          {{"records", site.backlog_records},
           {"points", site.backlog_points},
           {"bytes", site.backlog_bytes}}},
         // How old the newest record applied was when it arrived here... now.
         {"lag_seconds", site.last_appended_at ? Seconds(now_ns - *site.last_appended_at)
                                               : nlohmann::ordered_json()}});
  }
  out["sites"] = std::move(list);
  return out;
}

}  // namespace fh::sync
