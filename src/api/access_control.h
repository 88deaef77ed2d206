// AccessControl: who sent a request, and whether they may call its route (docs/security.md).
//
// Access control is on as soon as the hub has a user or a token (`factoryhub user add`,
// `factoryhub token create`); a hub with neither answers everyone, as before, and serve
// refuses to listen beyond this machine then. Whether there are any is looked up again
// every `refresh`, so the first user protects a running server within seconds.
//
// Credentials, in the forms the clients plants run send them:
//   Authorization: Bearer <token> | Token <token> (InfluxDB 2.x clients, Telegraf)
//   Authorization: Basic base64(user:password-or-token)
//   ?u=user&p=password-or-token (InfluxDB 1.x clients)
//   Cookie: fh_session=<id> (people in a browser, after POST /api/v1/login: web_sessions.h),
//     with X-CSRF-Token: <the session's token> on every request but GET and HEAD
// A token is checked by its SHA-256 (one indexed lookup); a password by Argon2id once, then
// remembered against the stored hash it matched, so that a client that sends its password
// with every write costs one Argon2 per password change, not per request. What is
// remembered is read again every `refresh`: a revoked token, a disabled user or a changed
// role stops working within that time. Repeated failures from one address are refused for
// a while (429), so that guessing costs time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "api/http_message.h"
#include "api/web_sessions.h"
#include "common/status.h"
#include "common/time.h"
#include "model/sample.h"
#include "security/role.h"
#include "store/hub.h"

namespace fh {
class AccessStore;
}

namespace fh::api {

struct AccessOptions {
  int64_t refresh_ns = 2 * kNanosPerSecond;
  int max_failures = 10;                             // per address within failure_window
  int64_t failure_window_ns = 60 * kNanosPerSecond;  // and then refused this long
  std::function<TimestampNs()> clock = NowNs;
  WebSessionOptions sessions;
};

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "fh_session";

// A login's outcome: the cookie's value and what the page needs.
struct Login {
  std::string session;  // the cookie's value
  WebSession state;     // who, the CSRF token, when it expires
};

// What Check found.
struct AccessDecision {
  int status = 200;  // 200: go on; 401, 403 or 429 (with `message`)
  std::string message;
  std::optional<security::Principal> who;  // set when authenticated
};

class AccessControl {
 public:
  explicit AccessControl(Hub& hub, AccessOptions options = {});

  // Whether the hub has users or tokens (cached for `refresh`).
  bool Enabled();
  // Whether checking `req` needs the store or Argon2 (credentials not remembered, or whether
  // the hub has users not known lately): the caller runs Check off the event loop then.
  bool NeedsSlowCheck(const HttpRequest& req);
  // Authenticates `req` and checks it against `need`.
  AccessDecision Check(const HttpRequest& req, security::Need need);

  // A person's login with name and password from `remote` (always one Argon2): a new
  // session. Unauthenticated for a wrong name or password or a disabled user (counted as a
  // failure of `remote`), ResourceExhausted while `remote` is throttled, FailedPrecondition
  // on a hub without users.
  Result<Login> LogIn(std::string_view user, std::string_view password, const std::string& remote);
  // The session `req`'s cookie names, if it is alive.
  std::optional<WebSession> SessionOf(const HttpRequest& req);
  // Ends the session `req`'s cookie names (nothing when none).
  void LogOut(const HttpRequest& req);

 private:
  struct Credentials {
    std::string user;    // a password's user ("" for a token)
    std::string secret;  // the token, password or session id
    bool token = false;
    bool session = false;  // a session cookie
  };
  struct Remembered {
    security::Principal who;
    std::optional<int64_t> expires_at;
    TimestampNs checked_at = 0;
    std::string password_hash;  // a password: the stored hash it matched
  };
  // "" when the request carries none; InvalidArgument for a malformed header.
  static Result<std::optional<Credentials>> Extract(const HttpRequest& req);
  static std::string Key(const Credentials& c);
  Result<security::Principal> Authenticate(const Credentials& c, TimestampNs now);
  Result<security::Principal> CheckToken(const Credentials& c, TimestampNs now);
  Result<security::Principal> CheckPassword(const Credentials& c, TimestampNs now);
  Result<WebSession> CheckSession(const Credentials& c, TimestampNs now);
  // A state-changing request made with a session: from this site, with the CSRF token.
  Status CheckCsrf(const HttpRequest& req, std::string_view session, TimestampNs now);
  // Runs `note` (a last-use note: store/access/access_store.h) on the catalog, ignoring
  // its failure. Called on the slow path only: at most once per refresh per credential.
  void NoteUse(const std::function<Status(AccessStore&)>& note);
  bool Throttled(const std::string& remote, TimestampNs now);
  void Failed(const std::string& remote, TimestampNs now);

  Hub& hub_;
  const AccessOptions options_;
  std::mutex mu_;
  bool enabled_ = false;
  TimestampNs enabled_checked_at_ = 0;
  bool enabled_known_ = false;
  std::map<std::string, Remembered, std::less<>> remembered_;  // by Key()
  struct Failures {
    int count = 0;
    TimestampNs first = 0, blocked_until = 0;
  };
  std::map<std::string, Failures, std::less<>> failures_;  // by address
  WebSessions sessions_;
};

}  // namespace fh::api
