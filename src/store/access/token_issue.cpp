#include "store/access/token_issue.h"

#include "security/api_token.h"
#include "security/role.h"

namespace fh {

Result<IssuedToken> IssueToken(AccessStore& access, const TokenRequest& request, int64_t now,
                               std::string* bad_field) {
  std::string ignored;
  std::string& field = bad_field ? *bad_field : ignored;
  field = "role";
  FH_ASSIGN_OR_RETURN(const security::Role role, security::ParseRole(request.role));
  field = "scope";
  FH_RETURN_IF_ERROR(security::ValidateScope(request.scope).WithContext("scope"));
  std::optional<int64_t> expires_at;
  if (request.expires != "never") {
    field = "expires";
    const Result<int64_t> lifetime = ParseDuration(request.expires);
    if (!lifetime.ok() || *lifetime <= 0) {
      return InvalidArgument("expires '{}': a duration such as 90d or 12h, or never",
                             request.expires);
    }
    expires_at = now + *lifetime;
  }
  IssuedToken issued;
  StoredToken& t = issued.stored;
  if (!request.user.empty()) {
    field = "user";
    FH_ASSIGN_OR_RETURN(std::optional<StoredUser> user, access.FindUser(request.user));
    if (!user) return NotFound("no user '{}'", request.user);
    // A token never allows more than its user.
    if (role > user->role) {
      field = "role";
      return InvalidArgument("role {}: {} is only {}", request.role, request.user,
                             security::RoleName(user->role));
    }
    const std::string scope = request.scope.empty() ? user->scope : request.scope;
    if (!security::ScopeCovers(user->scope, scope)) {
      field = "scope";
      return InvalidArgument("scope {}: {} is limited to {}", request.scope, request.user,
                             user->scope);
    }
    t.user_id = user->id;
    t.user = request.user;
    t.scope = scope;
  } else {
    t.scope = request.scope;
  }
  field.clear();  // what fails from here on is the store's, not the request's
  const security::NewToken secret = security::GenerateToken();
  t.hash = secret.hash;
  t.display = secret.display;
  t.description = request.description;
  t.role = role;
  t.created_at = now;
  t.expires_at = expires_at;
  FH_ASSIGN_OR_RETURN(t.id, access.AddToken(t));
  issued.secret = secret.secret;
  return issued;
}

std::string TokenState(const StoredToken& t, int64_t now) {
  if (t.revoked_at) return "revoked " + FormatRfc3339(*t.revoked_at);
  if (t.expires_at && now >= *t.expires_at) return "expired";
  if (t.user_disabled) return "user disabled";
  return "valid";
}

nlohmann::ordered_json TokenJson(const StoredToken& t, int64_t now) {
  return {{"id", t.id},
          {"token", t.display},
          {"role", security::RoleName(t.role)},
          {"scope", t.scope},
          {"user", t.user},
          {"description", t.description},
          {"created_at", FormatRfc3339(t.created_at)},
          {"expires_at", t.expires_at ? nlohmann::ordered_json(FormatRfc3339(*t.expires_at))
                                      : nlohmann::ordered_json(nullptr)},
          {"state", TokenState(t, now)},
          {"last_used", t.last_used_at ? nlohmann::ordered_json(FormatRfc3339(*t.last_used_at))
                                       : nlohmann::ordered_json(nullptr)}};
}

nlohmann::ordered_json UserJson(const StoredUser& u) {
  return {{"name", u.name},
          {"role", security::RoleName(u.role)},
          {"scope", u.scope},
          {"disabled", u.disabled},
          {"created_at", FormatRfc3339(u.created_at)},
          {"updated_at", FormatRfc3339(u.updated_at)},
          {"last_seen", u.last_seen_at ? nlohmann::ordered_json(FormatRfc3339(*u.last_seen_at))
                                       : nlohmann::ordered_json(nullptr)}};
}

}  // namespace fh
