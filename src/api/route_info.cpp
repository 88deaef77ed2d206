// GET /api/v1/info and GET /api/v1/tags.
#include <algorithm>

#include "analytics/hub_info.h"
#include "api/http_reply.h"
#include "api/json_encode.h"
#include "api/route_scope.h"
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
  if (!req.scope.empty()) {  // only what the scope covers
    Result<std::vector<std::string>> visible = TagsInScope(hub, req.scope);
    if (!visible.ok()) return ReplyError(res, visible.status());
    std::sort(visible->begin(), visible->end());
    std::erase_if(*tags, [&](const TagInfo& t) {
      return !std::binary_search(visible->begin(), visible->end(), t.name);
    });
  }
  ReplyJson(res, TagsJson(std::move(tags).value()));
}

}  // namespace fh::api
