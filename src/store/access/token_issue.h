// Issuing an API token, the same checks for `factoryhub token create` and the dashboard's
// administration (POST /api/v1/tokens/create): a token never allows more than its user (role
// and scope), its lifetime is a duration or never; and a token, and a user, as both list them.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "store/access/access_store.h"

namespace fh {

struct TokenRequest {
  std::string role = "viewer";
  std::string scope;            // "": its user's, or the whole plant
  std::string user;             // "": a machine's token, of nobody
  std::string expires = "90d";  // a duration, or "never"
  std::string description;
};

struct IssuedToken {
  StoredToken stored;  // as kept (its id set)
  std::string secret;  // shown once
};

// InvalidArgument for a wrong role, scope or expiry, NotFound for an unknown user; `bad_field`
// (when given) then names the request's field at fault: role, scope, expires or user.
Result<IssuedToken> IssueToken(AccessStore& access, const TokenRequest& request, int64_t now,
                               std::string* bad_field = nullptr);

// "valid", "expired", "user disabled" or "revoked <time>".
std::string TokenState(const StoredToken& t, int64_t now);
// {id, token (its display form), role, scope, user, description, created_at, expires_at, state,
// last_used}
nlohmann::ordered_json TokenJson(const StoredToken& t, int64_t now);
// {name, role, scope, disabled, created_at, updated_at, last_seen}: never the password's hash.
nlohmann::ordered_json UserJson(const StoredUser& u);

}  // namespace fh
