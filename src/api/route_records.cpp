// GET /api/v1/records: stored records of a canonical entity with their custom attributes,
// as `factoryhub records --json` answers; personal values always masked (there are no roles
// yet to let a caller see them).

#include "api/http_reply.h"
#include "api/routes.h"
#include "govern/entity_schema.h"
#include "store/records/record_query.h"

namespace fh::api {

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
                        session.records().Find(*entity, conditions, limit));
    FH_RETURN_IF_ERROR(session.records().MaskPersonal(*entity, records));
    FH_ASSIGN_OR_RETURN(const int64_t total, session.records().Count(*entity, conditions));
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
