// WebSessions: the logins of people in a browser (POST /api/v1/login), kept in the server's
// memory. A session is a random 256-bit id in an HttpOnly, SameSite=Strict cookie, and a
// second random value, its CSRF token, that the page holds and sends back in X-CSRF-Token
// with every request that changes something: a page of another site can make the browser
// send the cookie (not with SameSite=Strict, but older browsers ignore it) yet cannot read
// the token. Sessions end at logout, after `idle` without a request, `lifetime` after the
// login whatever happens, when the user is disabled or their password changes, and when
// the server restarts. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "model/sample.h"
#include "security/role.h"

namespace fh::api {

struct WebSessionOptions {
  int64_t idle_ns = 8 * 3600 * kNanosPerSecond;       // a shift without a request
  int64_t lifetime_ns = 12 * 3600 * kNanosPerSecond;  // however active
  size_t max_sessions = 10000;  // past it, the least recently used session ends
};

struct WebSession {
  security::Principal who;
  std::string csrf;           // what X-CSRF-Token must say
  std::string password_hash;  // the user's, at login: a change ends the session
  TimestampNs created_at = 0, last_seen = 0, expires_at = 0;
  TimestampNs checked_at = 0;  // when the user was last read from the store
};

class WebSessions {
 public:
  explicit WebSessions(WebSessionOptions options = {}) : options_(options) {}

  // A new session of `who`; returns its id (the cookie's value).
  std::string Create(const security::Principal& who, std::string password_hash, TimestampNs now);
  // The session of `id`, marked as seen now; nullopt when unknown or expired (then ended).
  std::optional<WebSession> Find(std::string_view id, TimestampNs now);
  // After the user was read again: their current role and scope, checked now.
  void Refresh(std::string_view id, const security::Principal& who, TimestampNs now);
  void End(std::string_view id);
  size_t size() const;

 private:
  // The map is keyed by a hash of the id: a lookup's timing says nothing about the ids.
  static std::string Key(std::string_view id);

  const WebSessionOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, WebSession, std::less<>> sessions_;
};

// The value of cookie `name` in a Cookie header ("" when absent).
std::string_view CookieValue(std::string_view header, std::string_view name);

}  // namespace fh::api
