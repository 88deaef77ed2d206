// Writing JSON responses and errors: how a Status becomes an HTTP status (only here).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include "api/http_message.h"

#include "common/status.h"

namespace fh::api {

// InvalidArgument → 400, Unauthenticated → 401, PermissionDenied → 403, NotFound → 404,
// AlreadyExists/FailedPrecondition → 409, ResourceExhausted → 429, Unavailable → 503, Unimplemented
// → 501, anything else → 500.
int HttpStatusFor(StatusCode code);

void ReplyJson(HttpResponse& res, const nlohmann::ordered_json& body, int status = 200);
// `body` is already JSON text.
void ReplyJsonText(HttpResponse& res, std::string body, int status = 200);
// {"error": message} plus {"field": field} when the error is in one request parameter.
void ReplyError(HttpResponse& res, const Status& status, std::string_view field = {});

// The `limit` parameter: `fallback` when absent, else a whole number from 1 to `max`
// (InvalidArgument naming it otherwise).
Result<int64_t> LimitParam(const HttpRequest& req, int64_t fallback, int64_t max);

// The time parameter `name` (RFC 3339, a date, or now-1h as ParseTimePoint reads it) into
// `out` when the request has it; InvalidArgument naming it and its value otherwise.
Status TimeParam(const HttpRequest& req, const char* name, int64_t now, int64_t& out);

// BadRequest for a query parameter that the endpoint does not know (catches typos such as
// `tags=` for `tag=`). `allowed` is the endpoint's parameter names.
Status CheckParams(const HttpRequest& req, std::initializer_list<std::string_view> allowed,
                   std::string* bad_field);

// A whole number parameter >= 0 (InvalidArgument naming it otherwise); `fallback` when absent
// or empty.
Result<uint64_t> CountParam(const HttpRequest& req, std::string_view name, uint64_t fallback);

// A POST's body as a JSON object (InvalidArgument otherwise).
Result<nlohmann::json> JsonBody(const HttpRequest& req);
// The text member `key` of a body into `out` (left as it is when absent or null);
// InvalidArgument when it is not text.
Status BodyText(const nlohmann::json& body, const char* key, std::string& out);

// Who acts, for the audit ledger: the authenticated user, or "api" on an open hub.
std::string Actor(const HttpRequest& req);

}  // namespace fh::api
