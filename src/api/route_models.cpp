// The model registry over HTTP (docs/api.md), for the dashboard's models page: every version
// with its headline metrics (GET /api/v1/models), one in full — features, metrics per fold,
// importance, ROC and PR curves, spec (GET /api/v1/models/show) — and promoting a version to
// production (POST /api/v1/models/promote, audited).
#include "api/http_reply.h"
#include "api/routes.h"
#include "ml/model_registry.h"
#include "ml/registered_model_json.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"

namespace fh::api {

void HandleModels(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"name"}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<ml::RegisteredModel>> models = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ml::ModelRegistry(session.models()).List(req.Param("name"));
  }();
  if (!models.ok()) return ReplyError(res, models.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ml::RegisteredModel& m : *models)
    list.push_back(ml::ModelSummaryJson(m));
  ReplyJson(res, {{"models", std::move(list)}});
}

void HandleModelShow(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"model"}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<ml::ModelRef> ref = ml::ParseModelRef(req.Param("model"));
  if (!ref.ok()) return ReplyError(res, ref.status(), "model");
  Result<ml::RegisteredModel> model = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ml::ModelRegistry(session.models()).Get(*ref);
  }();
  if (!model.ok()) return ReplyError(res, model.status(), "model");
  model->data.clear();
  ReplyJson(res, ml::ModelDetailJson(*model));
}

void HandleModelPromote(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  if (!body->contains("model") || !(*body)["model"].is_string()) {
    return ReplyError(res, InvalidArgument("model is required: NAME@VERSION"), "model");
  }
  Result<ml::ModelRef> ref = ml::ParseModelRef((*body)["model"].get<std::string>());
  if (!ref.ok()) return ReplyError(res, ref.status(), "model");
  // The version promoted is named in the ledger even when the request named only the model.
  Result<ml::RegisteredModel> promoted = [&]() -> Result<ml::RegisteredModel> {
    CatalogSession session = s.hub.OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_ASSIGN_OR_RETURN(ml::RegisteredModel m, registry.Get(*ref));
    FH_RETURN_IF_ERROR(registry.Promote(ml::ModelRef{m.name, m.version}));
    FH_ASSIGN_OR_RETURN(m, registry.Get(ml::ModelRef{m.name, m.version}));
    return m;
  }();
  if (!promoted.ok()) return ReplyError(res, promoted.status(), "model");
  if (Status audited = RecordAudit(s.hub, {Actor(req), "model.promote", promoted->label()});
      !audited.ok()) {
    return ReplyError(res,
                      audited.WithContext("promoted, but recording it in the audit ledger failed"));
  }
  ReplyJson(res, ml::ModelSummaryJson(*promoted));
}

}  // namespace fh::api
