// GET /api/v1/people/matrix and /api/v1/people/gaps: the skills matrix and the skill gaps of
// `factoryhub people` as JSON (docs/people.md), with the hub's people.yaml read on each
// request. People's names and certificate numbers are personal data: always masked here (the
// person's code identifies them to whoever may know more). A scoped principal sees the lines
// under its scope, and their people, only.
#include "analytics/people/people_json.h"
#include "analytics/people/skill_gaps.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "security/role.h"
#include "store/catalog_session.h"

namespace fh::api {
namespace {

using namespace analytics::people;

// `scope_only`: the request named no line and the principal's scope stands for it.
Result<GapOptions> PeopleOptions(Hub& hub, const HttpRequest& req, std::string* field,
                                 bool* scope_only) {
  FH_RETURN_IF_ERROR(CheckParams(req, {"line", "at", "within", "min_per_shift"}, field));
  GapOptions o;
  o.path = req.Param("line");
  while (!o.path.empty() && o.path.back() == '/')
    o.path.pop_back();
  if (!req.scope.empty()) {
    if (o.path.empty()) {
      o.path = req.scope;
      *scope_only = true;
    }
    if (!security::ScopeCovers(req.scope, o.path)) {
      *field = "line";
      return PermissionDenied("{} is outside {} (the scope of {})", o.path, req.scope, req.user);
    }
  }
  if (req.HasParam("at")) {
    *field = "at";
    FH_RETURN_IF_ERROR(TimeParam(req, "at", NowNs(), o.at));
  }
  if (req.HasParam("within")) {
    *field = "within";
    FH_ASSIGN_OR_RETURN(const uint64_t within, CountParam(req, "within", 0));
    if (within > 3650) return InvalidArgument("within: at most 3650 days, not {}", within);
    o.within_days = static_cast<int64_t>(within);
  }
  if (req.HasParam("min_per_shift")) {
    *field = "min_per_shift";
    FH_ASSIGN_OR_RETURN(const uint64_t min, CountParam(req, "min_per_shift", 0));
    if (min > 1000) return InvalidArgument("min_per_shift: at most 1000, not {}", min);
    o.min_per_shift = static_cast<int>(min);
  }
  field->clear();
  FH_ASSIGN_OR_RETURN(o.config, LoadPeopleConfig(hub));
  return o;
}

// An error of the analysis names the line when it is about it. A scope that names no asset
// of this hub covers nothing: an empty answer, as for a line without people.
void ReplyPeopleError(HttpResponse& res, const Status& s, bool scope_only,
                      const nlohmann::ordered_json& empty) {
  if (scope_only && s.code() == StatusCode::kNotFound) return ReplyJson(res, empty);
  const bool about_line =
      s.code() == StatusCode::kNotFound || s.code() == StatusCode::kInvalidArgument;
  ReplyError(res, s, about_line ? "line" : "");
}

}  // namespace

void HandlePeopleMatrix(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  bool scope_only = false;
  Result<GapOptions> options = PeopleOptions(hub, req, &field, &scope_only);
  if (!options.ok()) return ReplyError(res, options.status(), field);
  CatalogSession session = hub.OpenCatalog();
  Result<SkillsMatrix> matrix = ComputeSkillsMatrix(session, *options);
  if (!matrix.ok()) {
    SkillsMatrix empty;
    empty.at = options->at != 0 ? options->at : NowNs();
    empty.within_days =
        options->within_days >= 0 ? options->within_days : options->config.expiring_within_days;
    return ReplyPeopleError(res, matrix.status(), scope_only, SkillsMatrixJson(empty, true));
  }
  ReplyJson(res, SkillsMatrixJson(*matrix, /*mask=*/true));
}

void HandlePeopleGaps(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  bool scope_only = false;
  Result<GapOptions> options = PeopleOptions(hub, req, &field, &scope_only);
  if (!options.ok()) return ReplyError(res, options.status(), field);
  CatalogSession session = hub.OpenCatalog();
  Result<SkillGaps> gaps = ComputeSkillGaps(session, *options);
  if (!gaps.ok()) {
    SkillGaps empty;
    empty.at = options->at != 0 ? options->at : NowNs();
    empty.within_days =
        options->within_days >= 0 ? options->within_days : options->config.expiring_within_days;
    empty.shifts = options->config.shifts;
    return ReplyPeopleError(res, gaps.status(), scope_only, SkillGapsJson(empty, true));
  }
  ReplyJson(res, SkillGapsJson(*gaps, /*mask=*/true));
}

}  // namespace fh::api
