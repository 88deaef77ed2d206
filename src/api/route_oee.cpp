// GET /api/v1/oee and /api/v1/oee/losses: the OEE report of `factoryhub oee` as JSON
// (docs/oee.md), with the hub's oee.yaml read on each request so an edited calendar
// applies at once.
#include "analytics/oee/oee_json.h"
#include "analytics/oee/oee_report.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "security/role.h"

namespace fh::api {
namespace {

using namespace analytics::oee;

Result<OeeReport> BuildOeeReport(Hub& hub, const HttpRequest& req, std::string* field) {
  FH_RETURN_IF_ERROR(CheckParams(req, {"path", "from", "to", "by", "level"}, field));
  OeeQueryText text;
  text.path = req.Param("path");
  // A scoped principal's report covers its part of the plant, and nothing outside it.
  if (!req.scope.empty()) {
    if (text.path.empty()) text.path = req.scope;
    if (!security::ScopeCovers(req.scope, text.path)) {
      *field = "path";
      return PermissionDenied("{} is outside {} (the scope of {})", text.path, req.scope, req.user);
    }
  }
  text.from = req.Param("from");
  text.to = req.Param("to");
  text.by = req.Param("by");
  text.level = req.Param("level");
  FH_ASSIGN_OR_RETURN(OeeQuery query, ParseOeeQuery(text, NowNs(), field));
  FH_ASSIGN_OR_RETURN(OeeConfig config, OeeConfig::Load((hub.dir() / kOeeConfigFile).string()));
  Result<OeeReport> report = ComputeOeeReport(hub, config, query);
  if (!report.ok() && report.status().code() == StatusCode::kNotFound) *field = "path";
  return report;
}

}  // namespace

void HandleOee(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<OeeReport> report = BuildOeeReport(hub, req, &field);
  if (!report.ok()) return ReplyError(res, report.status(), field);
  ReplyJson(res, OeeReportJson(*report, false));
}

void HandleOeeLosses(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<OeeReport> report = BuildOeeReport(hub, req, &field);
  if (!report.ok()) return ReplyError(res, report.status(), field);
  nlohmann::ordered_json doc = OeeLossesJson(*report);
  doc["total"] = OeeRowJson(report->total);
  doc["warnings"] = report->warnings;
  ReplyJson(res, doc);
}

}  // namespace fh::api
