// GET /api/v1/equipment: the plant as the dashboard's overview draws it — the ISA-95 tree
// (every asset the caller's scope covers, parents before children), each asset's tags with
// their units, and each machine's state now (its newest recorded state, since when, and the
// reason of a stop).
#include <unordered_map>
#include <unordered_set>

#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "security/role.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::api {

void HandleEquipment(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  const TimestampNs now = NowNs();
  Result<nlohmann::ordered_json> answer = [&]() -> Result<nlohmann::ordered_json> {
    CatalogSession session = hub.OpenCatalog();
    Catalog& catalog = session.catalog();
    FH_ASSIGN_OR_RETURN(std::vector<Asset> assets, catalog.ListAssets());
    FH_ASSIGN_OR_RETURN(std::vector<TagListing> tags, catalog.ListTags(req.scope));
    std::unordered_map<std::string, nlohmann::ordered_json> tags_of;
    for (const TagListing& t : tags) {
      if (t.equipment_path.empty()) continue;
      nlohmann::ordered_json& list = tags_of[t.equipment_path];
      if (list.is_null()) list = nlohmann::ordered_json::array();
      list.push_back({{"name", t.tag.name},
                      {"unit", t.tag.unit ? nlohmann::ordered_json(*t.tag.unit) : nullptr}});
    }
    FH_ASSIGN_OR_RETURN(const std::vector<int64_t> with_states, catalog.ListStateEquipment());
    const std::unordered_set<int64_t> has_states(with_states.begin(), with_states.end());
    std::unordered_map<int64_t, std::string> reasons;  // reason id -> code
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    // ListAssets orders by path: a parent comes before its children.
    for (const Asset& a : assets) {
      // The scope's own ancestors are shown too (the tree needs its trunk), without tags.
      const bool inside = security::ScopeCovers(req.scope, a.path);
      const bool above = !req.scope.empty() && security::ScopeCovers(a.path, req.scope);
      if (!inside && !above) continue;
      nlohmann::ordered_json item = {{"path", a.path},
                                     {"name", a.name},
                                     {"level", ToString(a.level)},
                                     {"description", a.description ? *a.description : ""}};
      auto t = tags_of.find(a.path);
      item["tags"] = inside && t != tags_of.end() ? t->second : nlohmann::ordered_json::array();
      item["state"] = nullptr;
      if (inside && has_states.count(a.id)) {
        FH_ASSIGN_OR_RETURN(std::vector<StateSpan> spans,
                            catalog.ListStateSpans(a.id, {now - 7 * kNanosPerDay, now + 1}));
        if (!spans.empty()) {
          const StateSpan& last = spans.back();
          std::string reason;
          if (last.reason_id) {
            auto r = reasons.find(*last.reason_id);
            if (r == reasons.end()) {
              FH_ASSIGN_OR_RETURN(ReasonCode code, catalog.GetReasonCode(*last.reason_id));
              r = reasons.emplace(*last.reason_id, code.code).first;
            }
            reason = r->second;
          }
          item["state"] = {{"state", ToString(last.state)},
                           {"since", FormatRfc3339(last.start_ts)},
                           {"reason", reason.empty() ? nlohmann::ordered_json()
                                                     : nlohmann::ordered_json(reason)}};
        }
      }
      list.push_back(std::move(item));
    }
    return nlohmann::ordered_json{{"equipment", std::move(list)}};
  }();
  if (!answer.ok()) return ReplyError(res, answer.status());
  ReplyJson(res, *answer);
}

}  // namespace fh::api
