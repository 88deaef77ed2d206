#include "api/access_control.h"

#include <sodium.h>

#include <algorithm>

#include "security/api_token.h"
#include "security/password.h"
#include "security/sodium_init.h"
#include "store/access/access_store.h"
#include "store/catalog_session.h"

namespace fh::api {
namespace {

constexpr size_t kMaxAuthorizationBytes = 4096;
constexpr size_t kMaxThrottledAddresses = 65536;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A password's key in memory: keyed by a secret of this process, so that what is kept is
// no offline-guessable hash of the password.
std::string PasswordKey(std::string_view user, std::string_view password) {
  static const auto key = [] {
    security::EnsureSodium();
    std::array<unsigned char, crypto_generichash_KEYBYTES> k{};
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(password.data()),
                     password.size(), key.data(), key.size());
  return "p:" + std::string(user) + ":" +
         security::Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

// Argon2 is run even for a user who does not exist, so that the answer's time does not tell
// which names exist.
const std::string& DummyHash() {
  static const std::string hash = security::HashPassword("not a password of anyone").value();
  return hash;
}

Status Unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message));
}

}  // namespace

void AccessControl::NoteUse(const std::function<Status(AccessStore&)>& note) {
  // Last use is for people to read, not a condition of access: a busy catalog that cannot
  // take the note now must not turn the request away (the next check notes it).
  CatalogSession session = hub_.OpenCatalog();
  (void)note(session.access());
}

AccessControl::AccessControl(Hub& hub, AccessOptions options)
    : hub_(hub), options_(std::move(options)), sessions_(options_.sessions) {}

bool AccessControl::Enabled() {
  const TimestampNs now = options_.clock();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (enabled_known_ && now - enabled_checked_at_ < options_.refresh_ns) return enabled_;
  }
  Result<int64_t> count = [&] {
    CatalogSession session = hub_.OpenCatalog();
    return session.access().CountPrincipals();
  }();
  std::lock_guard<std::mutex> lock(mu_);
  // A store that cannot say keeps the last answer; unknown until then means closed, the safe
  // side.
  if (count.ok()) {
    enabled_ = *count > 0;
  } else if (!enabled_known_) {
    enabled_ = true;
  }
  enabled_known_ = true;
  enabled_checked_at_ = now;
  return enabled_;
}

Result<std::optional<AccessControl::Credentials>> AccessControl::Extract(const HttpRequest& req) {
  const std::string_view header = req.Header("Authorization");
  if (!header.empty()) {
    if (header.size() > kMaxAuthorizationBytes) {
      return Unauthenticated(
          fmt::format("the Authorization header is longer than {} bytes", kMaxAuthorizationBytes));
    }
    const size_t space = header.find(' ');
    const std::string_view scheme = header.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    if (value.empty()) return Unauthenticated("the Authorization header has no credentials");
    if (EqualsNoCase(scheme, "Bearer") || EqualsNoCase(scheme, "Token")) {
      return std::optional<Credentials>({"", std::string(value), true});
    }
    if (EqualsNoCase(scheme, "Basic")) {
      std::string decoded(value.size(), '\0');
      size_t len = 0;
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                            value.data(), value.size(), nullptr, &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) != 0) {
        return Unauthenticated("Authorization: Basic: not base64");
      }
      decoded.resize(len);
      const size_t colon = decoded.find(':');
      if (colon == std::string::npos) {
        return Unauthenticated("Authorization: Basic: not user:password");
      }
      std::string secret = decoded.substr(colon + 1);
      const bool token = security::LooksLikeToken(secret);
      return std::optional<Credentials>({decoded.substr(0, colon), std::move(secret), token});
    }
    return Unauthenticated(
        fmt::format("Authorization: unknown scheme '{}' (Bearer, Token or Basic)",
                    std::string(scheme.substr(0, 32))));
  }
  // InfluxDB 1.x: ?u=USER&p=PASSWORD, where a token may stand for the password.
  if (req.HasParam("p")) {
    std::string secret = req.Param("p");
    if (secret.size() > kMaxAuthorizationBytes) {
      return Unauthenticated("parameter p: too long");
    }
    const bool token = security::LooksLikeToken(secret);
    return std::optional<Credentials>({req.Param("u"), std::move(secret), token});
  }
  // A browser's session: only when nothing above was sent (a client's explicit credentials
  // win over a cookie it happens to carry).
  if (const std::string_view id = CookieValue(req.Header("Cookie"), kSessionCookie); !id.empty()) {
    if (id.size() > 128) return Unauthenticated("the session cookie is too long");
    return std::optional<Credentials>({"", std::string(id), false, true});
  }
  return std::optional<Credentials>();
}

std::string AccessControl::Key(const Credentials& c) {
  if (c.session) return "s:" + c.secret;  // never stored in remembered_
  return c.token ? "t:" + security::TokenHash(c.secret) : PasswordKey(c.user, c.secret);
}

bool AccessControl::NeedsSlowCheck(const HttpRequest& req) {
  {
    // Whether the hub has users is asked of the store: not here, on the event loop, once
    // the answer is stale.
    std::lock_guard<std::mutex> lock(mu_);
    if (!enabled_known_ || options_.clock() - enabled_checked_at_ >= options_.refresh_ns) {
      return true;
    }
    if (!enabled_) return false;
  }
  Result<std::optional<Credentials>> c = Extract(req);
  if (!c.ok() || !*c) return false;  // answered at once
  if ((*c)->session) {
    const std::optional<WebSession> s = sessions_.Find((*c)->secret, options_.clock());
    return s && options_.clock() - s->checked_at >= options_.refresh_ns;
  }
  const std::string key = Key(**c);
  std::lock_guard<std::mutex> lock(mu_);
  auto found = remembered_.find(key);
  return found == remembered_.end() ||
         options_.clock() - found->second.checked_at >= options_.refresh_ns;
}

Result<security::Principal> AccessControl::CheckToken(const Credentials& c, TimestampNs now) {
  if (!security::LooksLikeToken(c.secret)) {
    return Unauthenticated("not a factoryhub token (fh_ and 64 hex digits)");
  }
  const std::string key = Key(c);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = remembered_.find(key);
    if (found != remembered_.end() && now - found->second.checked_at < options_.refresh_ns) {
      if (found->second.expires_at && now >= *found->second.expires_at) {
        return Unauthenticated("the token has expired");
      }
      return found->second.who;
    }
  }
  Result<std::optional<StoredToken>> stored = [&] {
    CatalogSession session = hub_.OpenCatalog();
    return session.access().FindTokenByHash(key.substr(2));
  }();
  FH_RETURN_IF_ERROR(stored.status());
  if (!*stored) return Unauthenticated("unknown token");
  const StoredToken& t = **stored;
  if (t.revoked_at) return Unauthenticated(fmt::format("token {} is revoked", t.id));
  if (t.expires_at && now >= *t.expires_at) {
    return Unauthenticated(fmt::format("token {} has expired", t.id));
  }
  if (t.user_disabled) return Unauthenticated(fmt::format("user '{}' is disabled", t.user));
  NoteUse([&](AccessStore& access) { return access.NoteTokenUse(t.id, now); });
  security::Principal who{t.user.empty() ? fmt::format("token:{}", t.id) : t.user, t.role, t.scope,
                          t.id};
  std::lock_guard<std::mutex> lock(mu_);
  remembered_[key] = {who, t.expires_at, now, ""};
  return who;
}

Result<security::Principal> AccessControl::CheckPassword(const Credentials& c, TimestampNs now) {
  if (c.user.empty()) return Unauthenticated("a password needs its user name");
  const std::string key = Key(c);
  std::optional<Remembered> before;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = remembered_.find(key);
    if (found != remembered_.end()) {
      if (now - found->second.checked_at < options_.refresh_ns) return found->second.who;
      before = found->second;
    }
  }
  Result<std::optional<StoredUser>> stored = [&] {
    CatalogSession session = hub_.OpenCatalog();
    return session.access().FindUser(c.user);
  }();
  FH_RETURN_IF_ERROR(stored.status());
  const std::optional<StoredUser>& user = *stored;
  // The same hash as last time: the password was checked against it already.
  const bool known = user && before && before->password_hash == user->password_hash;
  const bool match =
      known || security::VerifyPassword(user ? user->password_hash : DummyHash(), c.secret);
  if (!user || !match) {
    std::lock_guard<std::mutex> lock(mu_);
    remembered_.erase(key);
    return Unauthenticated("wrong user name or password");
  }
  if (user->disabled) return Unauthenticated(fmt::format("user '{}' is disabled", user->name));
  NoteUse([&](AccessStore& access) { return access.NoteUserSeen(user->name, now); });
  security::Principal who{user->name, user->role, user->scope, 0};
  std::lock_guard<std::mutex> lock(mu_);
  remembered_[key] = {who, std::nullopt, now, user->password_hash};
  return who;
}

Result<WebSession> AccessControl::CheckSession(const Credentials& c, TimestampNs now) {
  std::optional<WebSession> s = sessions_.Find(c.secret, now);
  if (!s) {
    return Unauthenticated(
        "the session has ended (logged out, expired, or the server restarted): log in again");
  }
  if (now - s->checked_at < options_.refresh_ns) return *s;
  // The user as stored now: disabled, or a new password, ends their sessions.
  Result<std::optional<StoredUser>> stored = [&] {
    CatalogSession session = hub_.OpenCatalog();
    return session.access().FindUser(s->who.name);
  }();
  FH_RETURN_IF_ERROR(stored.status());
  const std::optional<StoredUser>& user = *stored;
  std::string ended;
  if (!user || user->disabled) {
    ended = fmt::format("user '{}' is disabled", s->who.name);
  } else if (user->password_hash != s->password_hash) {
    ended = fmt::format("the password of '{}' was changed: log in again", s->who.name);
  }
  if (!ended.empty()) {
    sessions_.End(c.secret);
    return Unauthenticated(std::move(ended));
  }
  NoteUse([&](AccessStore& access) { return access.NoteUserSeen(user->name, now); });
  s->who = security::Principal{user->name, user->role, user->scope, 0};
  s->checked_at = now;
  sessions_.Refresh(c.secret, s->who, now);
  return *s;
}

Result<security::Principal> AccessControl::Authenticate(const Credentials& c, TimestampNs now) {
  if (c.session) {
    FH_ASSIGN_OR_RETURN(WebSession s, CheckSession(c, now));
    return s.who;
  }
  return c.token ? CheckToken(c, now) : CheckPassword(c, now);
}

Result<Login> AccessControl::LogIn(std::string_view user, std::string_view password,
                                   const std::string& remote) {
  const TimestampNs now = options_.clock();
  if (!Enabled()) {
    return FailedPrecondition("this hub has no users: its API needs no login");
  }
  if (Throttled(remote, now)) {
    return ResourceExhausted("too many failed attempts from {}: try again later", remote);
  }
  Result<std::optional<StoredUser>> stored = [&] {
    CatalogSession session = hub_.OpenCatalog();
    return session.access().FindUser(user);
  }();
  FH_RETURN_IF_ERROR(stored.status());
  const std::optional<StoredUser>& u = *stored;
  // Always one Argon2, for a name that does not exist too (the answer's time tells nothing).
  const bool match = security::VerifyPassword(u ? u->password_hash : DummyHash(), password);
  if (!u || !match || u->disabled) {
    Failed(remote, now);
    return Unauthenticated(u && match ? fmt::format("user '{}' is disabled", u->name)
                                      : std::string("wrong user name or password"));
  }
  NoteUse([&](AccessStore& access) { return access.NoteUserSeen(u->name, now); });
  const security::Principal who{u->name, u->role, u->scope, 0};
  Login login;
  login.session = sessions_.Create(who, u->password_hash, now);
  login.state = *sessions_.Find(login.session, now);
  return login;
}

std::optional<WebSession> AccessControl::SessionOf(const HttpRequest& req) {
  const std::string_view id = CookieValue(req.Header("Cookie"), kSessionCookie);
  return sessions_.Find(id, options_.clock());
}

void AccessControl::LogOut(const HttpRequest& req) {
  const std::string_view id = CookieValue(req.Header("Cookie"), kSessionCookie);
  if (!id.empty()) sessions_.End(id);
}

bool AccessControl::Throttled(const std::string& remote, TimestampNs now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = failures_.find(remote);
  return found != failures_.end() && now < found->second.blocked_until;
}

void AccessControl::Failed(const std::string& remote, TimestampNs now) {
  std::lock_guard<std::mutex> lock(mu_);
  Failures& f = failures_[remote];
  if (now - f.first >= options_.failure_window_ns) f = {0, now, 0};
  if (++f.count >= options_.max_failures) f.blocked_until = now + options_.failure_window_ns;
  // Bounded: an attacker rotating addresses must not grow the map without end. Addresses
  // no longer blocked go first; if blocked ones alone pass the bound, all are forgotten (who
  // has that many addresses gets past a per-address limit anyway).
  if (failures_.size() > kMaxThrottledAddresses) {
    std::erase_if(failures_, [&](const auto& kv) { return kv.second.blocked_until <= now; });
    if (failures_.size() > kMaxThrottledAddresses) failures_.clear();
  }
}

Status AccessControl::CheckCsrf(const HttpRequest& req, std::string_view session, TimestampNs now) {
  // A browser says where a request comes from: another site's page is refused outright.
  if (const std::string_view origin = req.Header("Origin"); !origin.empty()) {
    const size_t scheme = origin.find("://");
    const std::string_view host =
        scheme == std::string_view::npos ? origin : origin.substr(scheme + 3);
    if (host != req.Header("Host")) {
      return PermissionDenied("{} {}: the request comes from another site ({})", req.method,
                              req.path, origin);
    }
  }
  const std::optional<WebSession> s = sessions_.Find(session, now);
  const std::string_view sent = req.Header("X-CSRF-Token");
  if (!s || sent.size() != s->csrf.size() ||
      sodium_memcmp(sent.data(), s->csrf.data(), sent.size()) != 0) {
    return PermissionDenied(
        "{} {} with a session cookie needs the session's X-CSRF-Token header (the csrf of "
        "POST /api/v1/login or GET /api/v1/session)",
        req.method, req.path);
  }
  return Status::Ok();
}

AccessDecision AccessControl::Check(const HttpRequest& req, security::Need need) {
  if (need.is_public || !Enabled()) return {};
  const TimestampNs now = options_.clock();
  if (Throttled(req.remote, now)) {
    return {429, fmt::format("too many failed attempts from {}: try again later", req.remote), {}};
  }
  Result<std::optional<Credentials>> c = Extract(req);
  if (c.ok() && !*c) {
    return {401,
            "this hub needs credentials: Authorization: Bearer <token> (factoryhub token "
            "create), or a user's name and password",
            {}};
  }
  Result<security::Principal> who =
      c.ok() ? Authenticate(**c, now) : Result<security::Principal>(c.status());
  if (!who.ok()) {
    if (who.status().code() != StatusCode::kUnauthenticated) {
      return {503, "checking credentials: " + who.status().message(), {}};
    }
    // An ended session is no guess (a 256-bit id is not guessed): a dashboard left open
    // overnight must not get its address throttled.
    if (!(c.ok() && (*c)->session)) Failed(req.remote, now);
    return {401, who.status().message(), {}};
  }
  if ((*c)->session && req.method != "GET" && req.method != "HEAD") {
    if (Status csrf = CheckCsrf(req, (*c)->secret, now); !csrf.ok()) {
      return {403, csrf.message(), *who};
    }
  }
  if (who->role < need.role) {
    return {
        403,
        fmt::format("{} is {} {}; {} {} needs {}", who->name,
                    who->role == security::Role::kViewer ? "a" : "an",
                    security::RoleName(who->role), req.method, req.path, security::NeedName(need)),
        *who};
  }
  // A route that answers about the whole plant would show a scoped principal more than its
  // scope: it is refused instead.
  if (!who->scope.empty() && !need.by_scope) {
    return {403,
            fmt::format("{} is limited to {}, and {} {} answers about the whole plant", who->name,
                        who->scope, req.method, req.path),
            *who};
  }
  return {200, "", *who};
}

}  // namespace fh::api
