#include "store/access/access_store.h"

#include "store/sqlite/db.h"

namespace fh {
namespace {

// The table's CHECK allows only the four names.
security::Role RoleOf(std::string_view text) {
  Result<security::Role> r = security::ParseRole(text);
  return r.ok() ? *r : security::Role::kViewer;
}

constexpr const char* kUserColumns =
    "id, name, role, scope, password_hash, disabled, created_at, updated_at, last_seen_at";

StoredUser ReadUser(const sqlite::Stmt& st) {
  StoredUser u;
  u.id = st.Int(0);
  u.name = std::string(st.Text(1));
  u.role = RoleOf(st.Text(2));
  u.scope = std::string(st.Text(3));
  u.password_hash = std::string(st.Text(4));
  u.disabled = st.Int(5) != 0;
  u.created_at = st.Int(6);
  u.updated_at = st.Int(7);
  u.last_seen_at = st.OptInt(8);
  return u;
}

constexpr const char* kTokenSelect =
    "SELECT t.id, t.hash, t.display, t.user_id, coalesce(u.name, ''), t.description, t.role, "
    "t.scope, t.created_at, t.expires_at, t.revoked_at, coalesce(u.disabled, 0), "
    "t.last_used_at "
    "FROM api_token t LEFT JOIN app_user u ON u.id = t.user_id";

StoredToken ReadToken(const sqlite::Stmt& st) {
  StoredToken t;
  t.id = st.Int(0);
  t.hash = std::string(st.Text(1));
  t.display = std::string(st.Text(2));
  t.user_id = st.OptInt(3);
  t.user = std::string(st.Text(4));
  t.description = std::string(st.Text(5));
  t.role = RoleOf(st.Text(6));
  t.scope = std::string(st.Text(7));
  t.created_at = st.Int(8);
  t.expires_at = st.OptInt(9);
  t.revoked_at = st.OptInt(10);
  t.user_disabled = st.Int(11) != 0;
  t.last_used_at = st.OptInt(12);
  return t;
}

Status ChangedOneUser(sqlite::Db& db, std::string_view name) {
  if (db.Changes() == 0) return NotFound("no user '{}'", name);
  return Status::Ok();
}

}  // namespace

Result<int64_t> AccessStore::AddUser(const StoredUser& u) {
  FH_ASSIGN_OR_RETURN(std::optional<StoredUser> existing, FindUser(u.name));
  if (existing) return AlreadyExists("user '{}' exists already", u.name);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("INSERT INTO app_user(name, role, scope, password_hash, "
                                  "disabled, created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, "
                                  "?6, ?6)"));
  st.Bind(1, std::string_view(u.name))
      .Bind(2, security::RoleName(u.role))
      .Bind(3, std::string_view(u.scope))
      .Bind(4, std::string_view(u.password_hash))
      .Bind(5, int64_t{u.disabled})
      .Bind(6, u.created_at);
  FH_RETURN_IF_ERROR(st.Run().WithContext(fmt::format("adding user '{}'", u.name)));
  return db_.LastInsertRowId();
}

Result<std::optional<StoredUser>> AccessStore::FindUser(std::string_view name) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("SELECT {} FROM app_user WHERE name = ?1", kUserColumns)));
  st.Bind(1, name);
  FH_ASSIGN_OR_RETURN(const bool row, st.Step());
  if (!row) return std::optional<StoredUser>();
  return std::optional<StoredUser>(ReadUser(st));
}

Result<std::vector<StoredUser>> AccessStore::ListUsers() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st, db_.Prepare(fmt::format(
                                           "SELECT {} FROM app_user ORDER BY name", kUserColumns)));
  std::vector<StoredUser> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    out.push_back(ReadUser(st));
  }
  return out;
}

Status AccessStore::SetUserDisabled(std::string_view name, bool disabled, int64_t now) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("UPDATE app_user SET disabled = ?2, updated_at = ?3 WHERE name = ?1"));
  st.Bind(1, name).Bind(2, int64_t{disabled}).Bind(3, now);
  FH_RETURN_IF_ERROR(st.Run());
  return ChangedOneUser(db_, name);
}

Status AccessStore::SetPasswordHash(std::string_view name, std::string_view hash, int64_t now) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("UPDATE app_user SET password_hash = ?2, updated_at = ?3 WHERE name = ?1"));
  st.Bind(1, name).Bind(2, hash).Bind(3, now);
  FH_RETURN_IF_ERROR(st.Run());
  return ChangedOneUser(db_, name);
}

Status AccessStore::SetUserRole(std::string_view name, security::Role role, std::string_view scope,
                                int64_t now) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("UPDATE app_user SET role = ?2, scope = ?3, updated_at = ?4 WHERE name = ?1"));
  st.Bind(1, name).Bind(2, security::RoleName(role)).Bind(3, scope).Bind(4, now);
  FH_RETURN_IF_ERROR(st.Run());
  return ChangedOneUser(db_, name);
}

Result<int64_t> AccessStore::CountPrincipals() {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT (SELECT count(*) FROM app_user) + (SELECT count(*) FROM api_token)"));
  FH_RETURN_IF_ERROR(st.Step().status());
  return st.Int(0);
}

Result<int64_t> AccessStore::AddToken(const StoredToken& t) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("INSERT INTO api_token(hash, display, user_id, description, "
                                  "role, scope, created_at, expires_at) VALUES(?1, ?2, ?3, ?4, "
                                  "?5, ?6, ?7, ?8)"));
  st.Bind(1, std::string_view(t.hash))
      .Bind(2, std::string_view(t.display))
      .Bind(3, t.user_id)
      .Bind(4, std::string_view(t.description))
      .Bind(5, security::RoleName(t.role))
      .Bind(6, std::string_view(t.scope))
      .Bind(7, t.created_at)
      .Bind(8, t.expires_at);
  FH_RETURN_IF_ERROR(st.Run().WithContext("creating a token"));
  return db_.LastInsertRowId();
}

Result<std::optional<StoredToken>> AccessStore::FindTokenByHash(std::string_view hash) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached(std::string(kTokenSelect) + " WHERE t.hash = ?1"));
  st->Reset();
  st->Bind(1, hash);
  FH_ASSIGN_OR_RETURN(const bool row, st->Step());
  std::optional<StoredToken> out;
  if (row) out = ReadToken(*st);
  st->Reset();
  return out;
}

Result<std::vector<StoredToken>> AccessStore::ListTokens() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(std::string(kTokenSelect) + " ORDER BY t.id DESC"));
  std::vector<StoredToken> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    out.push_back(ReadToken(st));
  }
  return out;
}

Status AccessStore::RevokeToken(int64_t id, int64_t now) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt find,
                      db_.Prepare("SELECT revoked_at FROM api_token WHERE id = ?1"));
  find.Bind(1, id);
  FH_ASSIGN_OR_RETURN(const bool row, find.Step());
  if (!row) return NotFound("no token {}", id);
  if (!find.IsNull(0)) return FailedPrecondition("token {} is revoked already", id);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("UPDATE api_token SET revoked_at = ?2 WHERE id = ?1"));
  st.Bind(1, id).Bind(2, now);
  return st.Run();
}

Status AccessStore::NoteTokenUse(int64_t id, int64_t now) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("UPDATE api_token SET last_used_at = ?2 WHERE id = ?1 AND "
                                  "(last_used_at IS NULL OR last_used_at <= ?3)"));
  st.Bind(1, id).Bind(2, now).Bind(3, now - kLastUseResolutionNs);
  return st.Run();
}

Status AccessStore::NoteUserSeen(std::string_view name, int64_t now) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("UPDATE app_user SET last_seen_at = ?2 WHERE name = ?1 AND "
                                  "(last_seen_at IS NULL OR last_seen_at <= ?3)"));
  st.Bind(1, name).Bind(2, now).Bind(3, now - kLastUseResolutionNs);
  return st.Run();
}

}  // namespace fh
