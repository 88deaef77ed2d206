// GET /api/v1/lineage: where a stored record came from (source system, file, line, mapping
// version, batch, its ids elsewhere), or which imports stored a tag's points around a time,
// as `factoryhub lineage --json` prints them.
#include "api/http_reply.h"
#include "api/lineage_json.h"
#include "api/routes.h"
#include "common/time.h"

namespace fh::api {

void HandleLineage(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"entity", "key", "id", "at"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  const std::string entity = req.Param("entity");
  if (entity.empty()) {
    return ReplyError(
        res, InvalidArgument("entity is required: material, work_order, ... or sample"), "entity");
  }
  const bool by_id = req.HasParam("id");
  if (by_id == req.HasParam("key")) {
    return ReplyError(res, InvalidArgument("give the record's key or its id (one of them)"),
                      by_id ? "id" : "key");
  }
  const std::string key = by_id ? req.Param("id") : req.Param("key");
  if (entity == "sample") {
    if (!req.HasParam("at")) {
      return ReplyError(res, InvalidArgument("a sample's lineage needs at (a time)"), "at");
    }
    int64_t at = 0;
    if (Status s = TimeParam(req, "at", NowNs(), at); !s.ok()) return ReplyError(res, s, "at");
    Result<SampleLineage> lineage = FindSampleLineage(hub, key, at);
    if (!lineage.ok()) return ReplyError(res, lineage.status(), "key");
    return ReplyJson(res, SampleLineageJson(*lineage));
  }
  if (req.HasParam("at")) {
    return ReplyError(res, InvalidArgument("at is for samples (entity=sample)"), "at");
  }
  Result<RecordLineage> lineage = [&] {
    CatalogSession session = hub.OpenCatalog();
    return FindRecordLineage(session, entity, key, by_id);
  }();
  if (!lineage.ok()) {
    return ReplyError(
        res, lineage.status(),
        lineage.status().code() == StatusCode::kNotFound ? (by_id ? "id" : "key") : "entity");
  }
  ReplyJson(res, RecordLineageJson(*lineage));
}

}  // namespace fh::api
