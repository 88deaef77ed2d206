// GET /api/v1/plan and /api/v1/plan.html: the transformation roadmap of the hub's plan.yaml
// (docs/optimize.md), planned on each request from the hub's current measurements, so that
// the dashboard's weight sliders ask "what if" with ?weights=.
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "optimize/roadmap/plan_html.h"
#include "optimize/roadmap/plan_json.h"
#include "optimize/roadmap/roadmap_plan.h"

namespace fh::api {
namespace {

using namespace optimize;

// A request's solve is bounded: the server answers others meanwhile (one core of two).
constexpr double kMaxSeconds = 10;

Result<RoadmapPlan> BuildPlan(Hub& hub, const HttpRequest& req, std::string* field) {
  FH_RETURN_IF_ERROR(CheckParams(req, {"weights", "pareto", "sensitivity", "time_limit"}, field));
  const std::filesystem::path path = hub.dir() / kPlanCatalogueFile;
  if (!std::filesystem::exists(path))
    return NotFound("the hub has no plan catalogue ({}): write one (docs/optimize.md)",
                    kPlanCatalogueFile);
  FH_ASSIGN_OR_RETURN(Catalogue catalogue, LoadCatalogue(path.string()));
  PlanOptions options;
  if (const std::string w = req.Param("weights"); !w.empty()) {
    *field = "weights";
    FH_ASSIGN_OR_RETURN(options.weights, ParseWeightList(w));
  }
  *field = "pareto";
  FH_ASSIGN_OR_RETURN(const uint64_t levels, CountParam(req, "pareto", 5));
  if (levels > 12) return InvalidArgument("pareto: at most 12 levels, not {}", levels);
  options.pareto_levels = static_cast<int>(levels);
  *field = "time_limit";
  FH_ASSIGN_OR_RETURN(const uint64_t seconds, CountParam(req, "time_limit", 5));
  options.solver.time_limit_s = std::clamp(static_cast<double>(seconds), 1.0, kMaxSeconds);
  *field = "sensitivity";
  const std::string sensitivity = req.Param("sensitivity");
  if (!sensitivity.empty() && sensitivity != "true" && sensitivity != "false")
    return InvalidArgument("sensitivity: true or false, not '{}'", sensitivity);
  options.sensitivity = sensitivity != "false";
  field->clear();
  FH_ASSIGN_OR_RETURN(PlantFacts facts, MeasurePlant(hub, catalogue, NowNs()));
  return PlanRoadmap(catalogue, facts, options);
}

}  // namespace

void HandlePlan(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<RoadmapPlan> plan = BuildPlan(hub, req, &field);
  if (!plan.ok()) return ReplyError(res, plan.status(), field);
  ReplyJson(res, RoadmapPlanJson(*plan));
}

void HandlePlanHtml(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<RoadmapPlan> plan = BuildPlan(hub, req, &field);
  if (!plan.ok()) return ReplyError(res, plan.status(), field);
  res.SetContent(RoadmapPlanHtml(*plan), "text/html; charset=utf-8");
}

}  // namespace fh::api
