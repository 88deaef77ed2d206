// GET /api/v1/quality (JSON) and GET /quality (the HTML report): the data-quality report of
// every import (docs/governance.md), as `factoryhub report quality` prints it.

#include "analytics/quality_report.h"
#include "api/http_reply.h"
#include "api/routes.h"

namespace fh::api {

namespace {

Result<analytics::QualityReport> BuildQualityReport(Hub& hub, const HttpRequest& req,
                                                    std::string* field) {
  FH_RETURN_IF_ERROR(CheckParams(req, {"batches"}, field));
  int batches = 30;
  if (req.HasParam("batches")) {
    const std::string text = req.Param("batches");
    char* end = nullptr;
    const long n = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || n < 1 || n > 100000) {
      *field = "batches";
      return InvalidArgument("batches must be a whole number from 1 to 100000, not '{}'", text);
    }
    batches = static_cast<int>(n);
  }
  // The catalog connection is shared: one request at a time reads it.
  CatalogSession session = hub.OpenCatalog();
  return analytics::BuildQualityReport(session.governance(), hub.config().name, batches);
}

}  // namespace

void HandleQualityJson(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<analytics::QualityReport> report = BuildQualityReport(hub, req, &field);
  if (!report.ok()) return ReplyError(res, report.status(), field);
  ReplyJson(res, analytics::QualityReportJson(*report));
}

void HandleQualityHtml(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<analytics::QualityReport> report = BuildQualityReport(hub, req, &field);
  if (!report.ok()) return ReplyError(res, report.status(), field);
  res.SetContent(analytics::QualityReportHtml(*report), "text/html; charset=utf-8");
}

}  // namespace fh::api
