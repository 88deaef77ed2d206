// GET /api/v1/alarms: what models raised (predict --alarms, serve --score), newest first; a
// scoped principal sees its equipment's.

#include "api/http_reply.h"
#include "api/routes.h"
#include "ml/alarms.h"
#include "security/role.h"

namespace fh::api {

void HandleAlarms(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"limit", "model", "equipment"}, &field); !s.ok())
    return ReplyError(res, s, field);
  const Result<int64_t> limit_param = LimitParam(req, 100, 10000);
  if (!limit_param.ok()) return ReplyError(res, limit_param.status(), "limit");
  const int64_t limit = *limit_param;
  // The alarms of the equipment under `equipment` (an asset path), within the caller's scope.
  std::string under = req.scope;
  if (req.HasParam("equipment")) {
    under = req.Param("equipment");
    if (under.empty())
      return ReplyError(res, InvalidArgument("equipment: an asset path"), "equipment");
    if (!security::ScopeCovers(req.scope, under))
      return ReplyJson(res, {{"alarms", nlohmann::ordered_json::array()}});
  }
  Result<std::vector<ml::Alarm>> alarms = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ml::ListAlarms(session.alarms(), limit, under, req.Param("model"));
  }();
  if (!alarms.ok()) return ReplyError(res, alarms.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ml::Alarm& a : *alarms)
    list.push_back(ml::AlarmJson(a));
  ReplyJson(res, {{"alarms", std::move(list)}});
}

}  // namespace fh::api
