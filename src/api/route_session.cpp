// POST /api/v1/login, GET /api/v1/session, POST /api/v1/logout: people's sessions in a
// browser (api/web_sessions.h, docs/security.md#logging-in-from-a-browser).
#include "api/access_control.h"
#include "api/http_reply.h"
#include "api/routes.h"

namespace fh::api {
namespace {

std::string SessionCookie(const RouteServices& s, std::string_view value, int64_t max_age_s) {
  // Secure only over TLS: a browser would not send it back to http://localhost otherwise.
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie,
                     value, max_age_s, s.tls ? "; Secure" : "");
}

nlohmann::ordered_json SessionJson(const WebSession& w) {
  nlohmann::ordered_json j{{"user", w.who.name},
                           {"role", security::RoleName(w.who.role)},
                           {"csrf", w.csrf},
                           {"expires", FormatRfc3339(w.expires_at)}};
  if (!w.who.scope.empty()) j["scope"] = w.who.scope;
  return j;
}

}  // namespace

void HandleLogin(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  if (s.access == nullptr) {
    return ReplyError(res, FailedPrecondition("this server runs without access control"));
  }
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("user") ||
      !body.contains("password") || !body["user"].is_string() || !body["password"].is_string()) {
    return ReplyError(
        res, InvalidArgument("the body must be {}", R"({"user": "...", "password": "..."})"),
        "body");
  }
  Result<Login> login = s.access->LogIn(body["user"].get<std::string>(),
                                        body["password"].get<std::string>(), req.remote);
  if (!login.ok()) {
    if (login.status().code() == StatusCode::kResourceExhausted) {
      res.SetHeader("Retry-After", "60");
      return ReplyJson(res, {{"error", login.status().message()}}, 429);
    }
    return ReplyError(res, login.status());
  }
  res.SetHeader("Set-Cookie", SessionCookie(s, login->session,
                                            (login->state.expires_at - login->state.created_at) /
                                                kNanosPerSecond));
  res.SetHeader("Cache-Control", "no-store");
  ReplyJson(res, SessionJson(login->state));
}

void HandleSession(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  const std::optional<WebSession> w = s.access ? s.access->SessionOf(req) : std::nullopt;
  if (!w) {
    // Authenticated otherwise (a token): who, without a session's parts.
    return ReplyJson(res, {{"user", req.user}, {"session", false}});
  }
  res.SetHeader("Cache-Control", "no-store");
  ReplyJson(res, SessionJson(*w));
}

void HandleLogout(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  if (s.access != nullptr) s.access->LogOut(req);
  res.SetHeader("Set-Cookie", SessionCookie(s, "", 0));
  ReplyJson(res, {{"logged_out", true}});
}

}  // namespace fh::api
