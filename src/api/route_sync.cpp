// Edge to central (docs/sync.md): POST /api/v1/sync/push on a central hub applies a batch of
// an edge hub's outbox records once; GET /api/v1/sync says how forwarding stands.
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "sync/sync_protocol.h"
#include "sync/sync_receiver.h"
#include "sync/sync_status.h"

namespace fh::api {

void HandleSyncPush(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  const std::string_view site = req.Header(sync::kSiteHeader);
  if (site.empty()) {
    return ReplyError(res, InvalidArgument("a push names its site in {}", sync::kSiteHeader),
                      sync::kSiteHeader);
  }
  Result<sync::PushResult> applied =
      sync::ApplyPush(s.hub, site, req.Header(sync::kEpochHeader), req.body, NowNs(),
                      sync::ParseBacklog(req.Header(sync::kBacklogHeader)));
  if (!applied.ok()) return ReplyError(res, applied.status());
  ReplyJson(res, {{"site", site},
                  {"applied_end", applied->applied_end},
                  {"records", applied->records},
                  {"points", applied->points},
                  {"duplicates", applied->duplicates},
                  {"rows", applied->catalog_records},
                  {"rows_quarantined", applied->catalog_refused}});
}

void HandleSyncStatus(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status st = CheckParams(req, {}, &field); !st.ok()) return ReplyError(res, st, field);
  Result<nlohmann::ordered_json> status = sync::SyncStatusJson(s.hub, s.forwarder, NowNs());
  if (!status.ok()) return ReplyError(res, status.status());
  ReplyJson(res, *status);
}

}  // namespace fh::api
