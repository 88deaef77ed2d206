// GET /api/v1/info and GET /api/v1/tags.
#include "analytics/hub_info.h"
#include "api/http_reply.h"
#include "api/json_encode.h"
#include "api/routes.h"

namespace fh::api {

void HandleInfo(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<analytics::HubInfo> info = analytics::GetHubInfo(hub);
  if (!info.ok()) return ReplyError(res, info.status());
  ReplyJson(res, HubInfoJson(*info));
}

void HandleTags(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<TagInfo>> tags = hub.storage().ListTags();
  if (!tags.ok()) return ReplyError(res, tags.status());
  ReplyJson(res, TagsJson(std::move(tags).value()));
}

}  // namespace fh::api
