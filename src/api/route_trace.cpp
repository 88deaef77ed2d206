// GET /api/v1/trace/backward, /forward and /recall: `factoryhub trace` as JSON (the recall
// also as CSV), docs/genealogy.md. The walk holds the catalog for its length: a trace of a
// few thousand lots takes milliseconds.
#include <charconv>

#include "analytics/genealogy/lot_trace.h"
#include "analytics/genealogy/trace_json.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "store/catalog/catalog.h"

namespace fh::api {
namespace {

enum class TraceKind { kBackward, kForward, kRecall };

Result<analytics::LotTrace> BuildTrace(Hub& hub, const HttpRequest& req, TraceKind kind,
                                       std::string* field) {
  FH_RETURN_IF_ERROR(
      CheckParams(req, {"lot", "material", "depth", "inspections", "format"}, field));
  const std::string lot = req.Param("lot");
  if (lot.empty()) {
    *field = "lot";
    return InvalidArgument("lot is required: the lot's number");
  }
  analytics::WalkOptions walk;
  walk.direction =
      kind == TraceKind::kBackward ? TraceDirection::kBackward : TraceDirection::kForward;
  if (const std::string depth = req.Param("depth"); !depth.empty()) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(depth.data(), depth.data() + depth.size(), n);
    if (ec != std::errc() || end != depth.data() + depth.size() || n < 1) {
      *field = "depth";
      return InvalidArgument("depth must be a whole number of links >= 1, not '{}'", depth);
    }
    walk.max_depth = n;
  }
  const std::string list = req.Param("inspections");
  if (!list.empty() && list != "true" && list != "false") {
    *field = "inspections";
    return InvalidArgument("inspections must be true or false, not '{}'", list);
  }
  const bool inspections = kind != TraceKind::kRecall && list != "false";
  CatalogSession session = hub.OpenCatalog();
  Catalog& catalog = session.catalog();
  Result<Lot> start = analytics::FindTraceStart(catalog, lot, req.Param("material"));
  if (!start.ok()) {
    *field = start.status().code() == StatusCode::kInvalidArgument ? "material" : "lot";
    return start.status();
  }
  return analytics::TraceLot(catalog, start->id, walk, inspections);
}

void HandleTrace(Hub& hub, const HttpRequest& req, HttpResponse& res, TraceKind kind) {
  std::string field;
  const std::string format = req.Param("format");
  if (!format.empty() && format != "json" && !(kind == TraceKind::kRecall && format == "csv")) {
    return ReplyError(res,
                      InvalidArgument("format must be json{}, not '{}'",
                                      kind == TraceKind::kRecall ? " or csv" : "", format),
                      "format");
  }
  Result<analytics::LotTrace> trace = BuildTrace(hub, req, kind, &field);
  if (!trace.ok()) return ReplyError(res, trace.status(), field);
  if (kind != TraceKind::kRecall) return ReplyJson(res, analytics::LotTraceJson(*trace));
  if (format == "csv") {
    res.SetContent(analytics::RecallCsv(*trace), "text/csv; charset=utf-8");
    res.SetHeader("Content-Disposition",
                  "attachment; filename=\"recall-" + trace->lots.front().lot.number + ".csv\"");
    return;
  }
  ReplyJson(res, analytics::RecallJson(*trace));
}

}  // namespace

void HandleTraceBackward(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  HandleTrace(hub, req, res, TraceKind::kBackward);
}
void HandleTraceForward(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  HandleTrace(hub, req, res, TraceKind::kForward);
}
void HandleTraceRecall(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  HandleTrace(hub, req, res, TraceKind::kRecall);
}

}  // namespace fh::api
