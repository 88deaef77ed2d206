// GET /api/v1/query and GET /api/v1/latest: the same semantics as `factoryhub query` and
// `factoryhub latest` (api/query.h).
#include "api/http_reply.h"
#include "api/json_encode.h"
#include "api/query.h"
#include "api/routes.h"
#include "common/time.h"

namespace fh::api {
namespace {

// Most points or buckets per tag when the request gives no `limit`, so that a browser
// asking for a year of 1 Hz data gets an answer (marked "truncated") rather than 300 MB.
constexpr const char* kDefaultLimit = "100000";

std::vector<std::string> Tags(const httplib::Request& req) {
  std::vector<std::string> tags;
  size_t n = req.get_param_value_count("tag");
  for (size_t i = 0; i < n; ++i)
    tags.push_back(req.get_param_value("tag", i));
  return tags;
}

}  // namespace

void HandleQuery(Hub& hub, const httplib::Request& req, httplib::Response& res) {
  std::string field;
  Status checked = CheckParams(req, {"tag", "from", "to", "every", "agg", "limit"}, &field);
  if (!checked.ok()) return ReplyError(res, checked, field);

  QueryParams params;
  params.tags = Tags(req);
  params.from = req.get_param_value("from");
  params.to = req.get_param_value("to");
  params.every = req.get_param_value("every");
  params.agg = req.get_param_value("agg");
  params.limit = req.has_param("limit") ? req.get_param_value("limit") : kDefaultLimit;
  Result<QueryRequest> request = ParseQueryParams(params, NowNs(), &field);
  if (!request.ok()) return ReplyError(res, request.status(), field);

  Result<QueryResult> result = RunQuery(hub.storage(), *request);
  if (!result.ok()) {
    const bool not_found = result.status().code() == StatusCode::kNotFound;
    return ReplyError(res, result.status(), not_found ? "tag" : "");
  }
  ReplyJsonText(res, QueryResultJson(*result));
}

void HandleLatest(Hub& hub, const httplib::Request& req, httplib::Response& res) {
  std::string field;
  if (Status s = CheckParams(req, {"tag"}, &field); !s.ok()) return ReplyError(res, s, field);
  std::vector<std::string> tags = Tags(req);
  if (tags.empty()) return ReplyError(res, InvalidArgument("at least one tag is required"), "tag");

  Result<std::vector<LatestValue>> latest = RunLatest(hub.storage(), tags);
  if (!latest.ok()) {
    const bool not_found = latest.status().code() == StatusCode::kNotFound;
    return ReplyError(res, latest.status(), not_found ? "tag" : "");
  }
  ReplyJson(res, LatestJson(*latest));
}

}  // namespace fh::api
