#include "api/http_reply.h"

#include <algorithm>
#include <charconv>

#include "common/json_text.h"
#include "common/time.h"

namespace fh::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void ReplyJsonText(HttpResponse& res, std::string body, int status) {
  res.status = status;
  body.push_back('\n');
  res.SetContent(std::move(body), "application/json");
}

void ReplyJson(HttpResponse& res, const nlohmann::ordered_json& body, int status) {
  // Tag names come from users; never let a stray invalid UTF-8 byte throw here.
  ReplyJsonText(res, JsonText(body), status);
}

void ReplyError(HttpResponse& res, const Status& status, std::string_view field) {
  nlohmann::ordered_json body = {{"error", status.message()}};
  if (!field.empty()) body["field"] = std::string(field);
  ReplyJson(res, body, HttpStatusFor(status.code()));
}

Status CheckParams(const HttpRequest& req, std::initializer_list<std::string_view> allowed,
                   std::string* bad_field) {
  for (const auto& [name, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      *bad_field = name;
      std::string list;
      for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      return InvalidArgument("unknown parameter '{}' (this endpoint takes: {})", name,
                             list.empty() ? "none" : list);
    }
  }
  return Status::Ok();
}

Result<int64_t> LimitParam(const HttpRequest& req, int64_t fallback, int64_t max) {
  if (!req.HasParam("limit")) return fallback;
  const std::string text = req.Param("limit");
  int64_t limit = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > max) {
    return InvalidArgument("limit: a whole number from 1 to {}, got '{}'", max, text);
  }
  return limit;
}

Status TimeParam(const HttpRequest& req, const char* name, int64_t now, int64_t& out) {
  if (!req.HasParam(name)) return Status::Ok();
  Result<int64_t> t = ParseTimePoint(req.Param(name), now);
  if (!t.ok()) return InvalidArgument("{} '{}': {}", name, req.Param(name), t.status().message());
  out = *t;
  return Status::Ok();
}

Result<uint64_t> CountParam(const HttpRequest& req, std::string_view name, uint64_t fallback) {
  const std::string text = req.Param(name);
  if (text.empty()) return fallback;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument("{} must be a whole number, not '{}'", name, text);
  }
  return n;
}

Result<nlohmann::json> JsonBody(const HttpRequest& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgument("the body must be a JSON object");
  }
  return body;
}

Status BodyText(const nlohmann::json& body, const char* key, std::string& out) {
  if (!body.contains(key) || body[key].is_null()) return Status::Ok();
  if (!body[key].is_string()) return InvalidArgument("{} must be a text", key);
  out = body[key].get<std::string>();
  return Status::Ok();
}

std::string Actor(const HttpRequest& req) {
  return req.user.empty() ? "api" : req.user;
}

}  // namespace fh::api
