// GET /api/v1/query and GET /api/v1/latest: the same semantics as `factoryhub query` and
// `factoryhub latest` (analytics/query.h).
#include "analytics/query.h"
#include "api/http_reply.h"
#include "api/json_encode.h"
#include "api/route_scope.h"
#include "api/routes.h"
#include "common/time.h"

namespace fh::api {
namespace {

// Most points or buckets per tag when the request gives no `limit`, so that a browser
// asking for a year of 1 Hz data gets an answer (marked "truncated") rather than 300 MB.
constexpr const char* kDefaultLimit = "100000";
// Most points or buckets in one answer, all tags together (about 30 MB of JSON): a glob
// over a thousand tags must not multiply the per-tag limit into gigabytes.
constexpr int64_t kMaxAnswerValues = 1'000'000;

std::vector<std::string> Tags(const HttpRequest& req) {
  std::vector<std::string> tags;
  size_t n = req.ParamCount("tag");
  for (size_t i = 0; i < n; ++i)
    tags.push_back(req.Param("tag", i));
  return tags;
}

}  // namespace

void HandleQuery(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Status checked = CheckParams(req, {"tag", "from", "to", "every", "agg", "limit"}, &field);
  if (!checked.ok()) return ReplyError(res, checked, field);

  analytics::QueryParams params;
  Result<std::vector<std::string>> tags = ResolveInScope(hub, req.scope, Tags(req));
  if (!tags.ok()) return ReplyError(res, tags.status(), "tag");
  params.tags = std::move(*tags);
  params.from = req.Param("from");
  params.to = req.Param("to");
  params.every = req.Param("every");
  params.agg = req.Param("agg");
  params.limit = req.HasParam("limit") ? req.Param("limit") : kDefaultLimit;
  Result<analytics::QueryRequest> request = analytics::ParseQueryParams(params, NowNs(), &field);
  if (!request.ok()) return ReplyError(res, request.status(), field);
  request->max_values = kMaxAnswerValues;

  Result<analytics::QueryResult> result = analytics::RunHubQuery(hub, *request);
  if (!result.ok()) {
    const bool not_found = result.status().code() == StatusCode::kNotFound;
    return ReplyError(res, result.status(), not_found ? "tag" : "");
  }
  ReplyJsonText(res, QueryResultJson(*result));
}

void HandleLatest(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"tag"}, &field); !s.ok()) return ReplyError(res, s, field);
  std::vector<std::string> tags = Tags(req);
  if (tags.empty()) return ReplyError(res, InvalidArgument("at least one tag is required"), "tag");
  Result<std::vector<std::string>> visible = ResolveInScope(hub, req.scope, tags);
  if (!visible.ok()) return ReplyError(res, visible.status(), "tag");

  Result<std::vector<analytics::LatestValue>> latest =
      analytics::RunLatest(hub.storage(), *visible);
  if (!latest.ok()) {
    const bool not_found = latest.status().code() == StatusCode::kNotFound;
    return ReplyError(res, latest.status(), not_found ? "tag" : "");
  }
  ReplyJson(res, LatestJson(*latest));
}

}  // namespace fh::api
