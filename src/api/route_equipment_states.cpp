// GET /api/v1/equipment/states: what a machine was doing over a time range — its state
// events clipped to the range, with the reason of each stop — for the dashboard's state
// timeline (a span of the catalog's equipment_state_event table per row).
#include <unordered_map>

#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "security/role.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::api {

void HandleEquipmentStates(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"path", "from", "to"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  const std::string path = req.Param("path");
  if (path.empty()) return ReplyError(res, InvalidArgument("path is required"), "path");
  const TimestampNs now = NowNs();
  TimeRange range{now - kNanosPerDay, now};
  for (auto [name, out] : {std::pair{"from", &range.from}, std::pair{"to", &range.to}}) {
    if (Status s = TimeParam(req, name, now, *out); !s.ok()) return ReplyError(res, s, name);
  }
  if (range.from >= range.to) {
    return ReplyError(res, InvalidArgument("from must be before to"), "from");
  }
  Result<nlohmann::ordered_json> answer = [&]() -> Result<nlohmann::ordered_json> {
    // Another part of the plant's equipment answers as one that does not exist.
    if (!security::ScopeCovers(req.scope, path)) return NotFound("no asset '{}'", path);
    CatalogSession session = hub.OpenCatalog();
    Catalog& catalog = session.catalog();
    Result<Asset> asset = catalog.FindAsset(path);
    if (!asset.ok()) {
      if (asset.status().code() == StatusCode::kNotFound) return NotFound("no asset '{}'", path);
      return asset.status();
    }
    FH_ASSIGN_OR_RETURN(const std::vector<StateSpan> spans,
                        catalog.ListStateSpans(asset->id, range));
    std::unordered_map<int64_t, std::string> reasons;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StateSpan& s : spans) {
      nlohmann::ordered_json reason;
      if (s.reason_id) {
        auto r = reasons.find(*s.reason_id);
        if (r == reasons.end()) {
          FH_ASSIGN_OR_RETURN(const ReasonCode code, catalog.GetReasonCode(*s.reason_id));
          r = reasons.emplace(*s.reason_id, code.code).first;
        }
        reason = r->second;
      }
      const TimestampNs end = std::min(s.end_ts.value_or(now), range.to);
      list.push_back({{"state", ToString(s.state)},
                      {"from", FormatRfc3339(std::max(s.start_ts, range.from))},
                      {"to", FormatRfc3339(end)},
                      {"ongoing", !s.end_ts.has_value()},
                      {"reason", std::move(reason)}});
    }
    return nlohmann::ordered_json{{"path", path},
                                  {"from", FormatRfc3339(range.from)},
                                  {"to", FormatRfc3339(range.to)},
                                  {"states", std::move(list)}};
  }();
  if (!answer.ok()) return ReplyError(res, answer.status(), "path");
  ReplyJson(res, *answer);
}

}  // namespace fh::api
