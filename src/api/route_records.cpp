// GET /api/v1/records: stored records of a canonical entity with their custom attributes,
// as `factoryhub records --json` answers; personal values always masked. A scoped principal
// reads the records placed in its part of the plant (equipment, work orders, inspections...)
// and the reference data every line shares (materials, bills of materials, reason codes,
// qualifications); the rest (customers, orders, lots, personnel of other sites) is not its.

#include "api/http_reply.h"
#include "api/routes.h"
#include "govern/entity_schema.h"
#include "store/records/record_query.h"

namespace fh::api {
namespace {

// Master data without a place in the plant that every part of it works with.
bool IsSharedReference(const govern::EntityDef& entity) {
  return entity.name == "material" || entity.name == "bom_item" || entity.name == "reason_code" ||
         entity.name == "qualification";
}

}  // namespace

void HandleRecords(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"entity", "key", "where", "limit"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  const std::string entity_name = req.Param("entity");
  const govern::EntityDef* entity = govern::FindEntity(entity_name);
  if (!entity || entity->name == "crosswalk") {
    return ReplyError(
        res, InvalidArgument("entity: one of {}, not '{}'", govern::EntityNames(), entity_name),
        "entity");
  }
  // Which records a scoped principal may read: those under its scope, or all of the shared.
  std::string scope = req.scope;
  if (!scope.empty() && govern::PlaceField(*entity) == nullptr) {
    if (!IsSharedReference(*entity)) {
      return ReplyError(res,
                        PermissionDenied("{} is limited to {}, and {} records have no place in "
                                         "the plant to be under it",
                                         req.user, scope, entity->name),
                        "entity");
    }
    scope.clear();
  }
  const Result<int64_t> limit_param = LimitParam(req, 100, 10000);
  if (!limit_param.ok()) return ReplyError(res, limit_param.status(), "limit");
  const int64_t limit = *limit_param;
  std::vector<RecordCondition> conditions;
  if (req.HasParam("key")) {
    if (entity->ref_key.empty()) {
      return ReplyError(
          res, InvalidArgument("{} records have no readable key: use where", entity->name), "key");
    }
    conditions.push_back({std::string(entity->ref_key), "=", req.Param("key")});
  }
  for (size_t i = 0; i < req.ParamCount("where"); ++i) {
    Result<RecordCondition> c = ParseRecordCondition(req.Param("where", i));
    if (!c.ok()) return ReplyError(res, c.status(), "where");
    conditions.push_back(std::move(*c));
  }
  Result<nlohmann::ordered_json> answer = [&]() -> Result<nlohmann::ordered_json> {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(std::vector<StoredRecord> records,
                        session.records().Find(*entity, conditions, limit, scope));
    FH_RETURN_IF_ERROR(session.records().MaskPersonal(*entity, records));
    FH_ASSIGN_OR_RETURN(const int64_t total, session.records().Count(*entity, conditions, scope));
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StoredRecord& r : records)
      list.push_back(StoredRecordJson(r));
    return nlohmann::ordered_json{
        {"entity", entity->name}, {"total", total}, {"records", std::move(list)}};
  }();
  if (!answer.ok()) return ReplyError(res, answer.status(), "where");
  ReplyJson(res, *answer);
}

}  // namespace fh::api
