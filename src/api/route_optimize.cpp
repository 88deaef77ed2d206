// Set-points over HTTP (docs/api.md, docs/optimize.md#set-points): POST /api/v1/optimize takes a
// controls spec — as JSON (the body itself) or as YAML text ({"yaml": "..."}) — searches the
// set-points that minimise the model's predicted risk within the controls' bounds, the spec's
// constraints and the training data, and answers what `factoryhub optimize --json` prints. It
// reads the model registry and the hub's latest values and writes nothing; a viewer may call it.
#include <cmath>

#include "api/http_reply.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "optimize/setpoint/setpoint_run.h"

namespace fh::api {

void HandleOptimize(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"model", "equipment", "row", "allow_extrapolation"}, &field);
      !s.ok()) {
    return ReplyError(res, s, field);
  }
  namespace sp = optimize::setpoint;
  sp::RunRequest request;
  request.model = req.Param("model");
  request.equipment = req.Param("equipment");
  const std::string allow = req.Param("allow_extrapolation");
  if (!allow.empty() && allow != "true" && allow != "false") {
    return ReplyError(res,
                      InvalidArgument("allow_extrapolation must be true or false, not '{}'", allow),
                      "allow_extrapolation");
  }
  request.options.allow_extrapolation = allow == "true";
  if (const std::string row = req.Param("row"); !row.empty()) {
    char* end = nullptr;
    const long long n = std::strtoll(row.c_str(), &end, 10);
    if (*end != '\0' || n == 0) {
      return ReplyError(res,
                        InvalidArgument("row must be a row number (1, 2, ... or -1 for the "
                                        "last), not '{}'",
                                        row),
                        "row");
    }
    request.row = n;
  }
  if (!request.equipment.empty() && request.row) {
    return ReplyError(res, InvalidArgument("give equipment or row, not both"), "row");
  }
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  // {"yaml": "..."} is a spec's text as written; any other object is the spec itself, which
  // the YAML reader takes as it is (JSON is YAML), its errors naming the body's lines.
  std::string text;
  std::string name = "request body";
  if (body->size() == 1 && body->contains("yaml")) {
    if (Status s = BodyText(*body, "yaml", text); !s.ok()) return ReplyError(res, s, "yaml");
    name = "yaml";
  } else {
    text = JsonText(*body, 2);
  }
  Result<sp::ControlsSpec> spec = sp::ParseControlsSpec(text, name);
  if (!spec.ok()) return ReplyError(res, spec.status(), name == "yaml" ? "yaml" : "");
  request.spec = std::move(*spec);
  Result<sp::RunResult> run = sp::RunSetpointSearch(hub, request);
  if (!run.ok()) return ReplyError(res, run.status());
  ReplyJson(res, sp::SetpointResultJson(*run));
}

}  // namespace fh::api
