// AccessStore: the hub's users and API tokens (migration 0021). Passwords and tokens arrive
// hashed (security/password.h, security/api_token.h): this store never sees a secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "security/role.h"

namespace fh {

namespace sqlite {
class Db;
}

struct StoredUser {
  int64_t id = 0;
  std::string name;
  security::Role role = security::Role::kViewer;
  std::string scope;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> last_seen_at;  // last signed in (to the minute); never: none
};

struct StoredToken {
  int64_t id = 0;
  std::string hash;     // SHA-256 hex of the secret
  std::string display;  // "fh_3f9a0c1b…"
  std::optional<int64_t> user_id;
  std::string user;  // its user's name ("" without one)
  std::string description;
  security::Role role = security::Role::kViewer;
  std::string scope;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at, revoked_at;
  bool user_disabled = false;           // its user is disabled: the token is too
  std::optional<int64_t> last_used_at;  // to the minute; never: none
};

// How close to the truth last use is kept: a write to the catalog at most this often per
// token or user, however many requests they send.
inline constexpr int64_t kLastUseResolutionNs = 60'000'000'000;

class AccessStore {
 public:
  explicit AccessStore(sqlite::Db& db) : db_(db) {}

  // AlreadyExists for a name taken.
  Result<int64_t> AddUser(const StoredUser& user);
  Result<std::optional<StoredUser>> FindUser(std::string_view name);
  Result<std::vector<StoredUser>> ListUsers();
  // NotFound for an unknown name.
  Status SetUserDisabled(std::string_view name, bool disabled, int64_t now);
  Status SetPasswordHash(std::string_view name, std::string_view hash, int64_t now);
  Status SetUserRole(std::string_view name, security::Role role, std::string_view scope,
                     int64_t now);
  // How many users and tokens there are: none means the hub has no access control set up.
  Result<int64_t> CountPrincipals();

  Result<int64_t> AddToken(const StoredToken& token);
  Result<std::optional<StoredToken>> FindTokenByHash(std::string_view hash);
  // Newest first; revoked and expired ones too (a list is history).
  Result<std::vector<StoredToken>> ListTokens();
  // NotFound for an unknown id; FailedPrecondition when already revoked.
  Status RevokeToken(int64_t id, int64_t now);

  // Notes that token `id` was used / user `name` signed in at `now`: written only when the
  // last note is older than kLastUseResolutionNs (nothing otherwise, and for an unknown one).
  Status NoteTokenUse(int64_t id, int64_t now);
  Status NoteUserSeen(std::string_view name, int64_t now);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
