#include "api/http_reply.h"

#include <algorithm>

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
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void ReplyJsonText(httplib::Response& res, std::string body, int status) {
  res.status = status;
  body.push_back('\n');
  res.set_content(std::move(body), "application/json");
}

void ReplyJson(httplib::Response& res, const nlohmann::ordered_json& body, int status) {
  // Tag names come from users; never let a stray invalid UTF-8 byte throw here.
  ReplyJsonText(res, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                status);
}

void ReplyError(httplib::Response& res, const Status& status, std::string_view field) {
  nlohmann::ordered_json body = {{"error", status.message()}};
  if (!field.empty()) body["field"] = std::string(field);
  ReplyJson(res, body, HttpStatusFor(status.code()));
}

Status CheckParams(const httplib::Request& req, std::initializer_list<std::string_view> allowed,
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

}  // namespace fh::api
