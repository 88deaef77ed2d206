// The hub's administration over HTTP (docs/api.md), for the dashboard's administration page:
// users (list, add, disable, enable), API tokens (list, create — the secret shown once —,
// revoke), the audit ledger (its entries, a full verification) and what was shared with
// partners. Admin only; every change is in the audit ledger, as from the CLI.
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "security/password.h"
#include "security/role.h"
#include "store/access/token_issue.h"
#include "store/audit/audit_json.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/share/share_store.h"

namespace fh::api {
namespace {

void Audited(RouteServices& s, const HttpRequest& req, HttpResponse& res, AuditRecord record,
             const nlohmann::ordered_json& answer) {
  if (record.actor.empty()) record.actor = Actor(req);
  if (Status audited = RecordAudit(s.hub, std::move(record)); !audited.ok()) {
    return ReplyError(res,
                      audited.WithContext("done, but recording it in the audit ledger failed"));
  }
  ReplyJson(res, answer);
}

}  // namespace

void HandleUsers(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<StoredUser>> users = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.access().ListUsers();
  }();
  if (!users.ok()) return ReplyError(res, users.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StoredUser& u : *users)
    list.push_back(UserJson(u));
  ReplyJson(res, {{"users", std::move(list)}});
}

void HandleUserAdd(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  StoredUser u;
  std::string role = "viewer", password;
  for (auto [key, out] : {std::pair{"name", &u.name}, std::pair{"role", &role},
                          std::pair{"scope", &u.scope}, std::pair{"password", &password}}) {
    if (Status st = BodyText(*body, key, *out); !st.ok()) return ReplyError(res, st, key);
  }
  if (u.name.empty()) return ReplyError(res, InvalidArgument("name is required"), "name");
  Result<security::Role> parsed = security::ParseRole(role);
  if (!parsed.ok()) return ReplyError(res, parsed.status(), "role");
  u.role = *parsed;
  if (Status st = security::ValidateScope(u.scope); !st.ok()) return ReplyError(res, st, "scope");
  if (password.size() < security::kMinPasswordLength) {
    return ReplyError(
        res, InvalidArgument("password: at least {} characters", security::kMinPasswordLength),
        "password");
  }
  // Hashed before the catalog is held: Argon2id takes a while on purpose.
  Result<std::string> hash = security::HashPassword(password);
  if (!hash.ok()) return ReplyError(res, hash.status());
  u.password_hash = *hash;
  u.created_at = u.updated_at = NowNs();
  Status added = [&] {
    CatalogSession session = s.hub.OpenCatalog();
    return session.access().AddUser(u).status();
  }();
  if (!added.ok()) return ReplyError(res, added, "name");
  Audited(s, req, res, {"", "user.add", u.name, {{"role", role}, {"scope", u.scope}}}, UserJson(u));
}

void HandleUserDisable(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  std::string name;
  if (Status st = BodyText(*body, "name", name); !st.ok()) return ReplyError(res, st, "name");
  if (name.empty()) return ReplyError(res, InvalidArgument("name is required"), "name");
  if (!body->contains("disabled") || !(*body)["disabled"].is_boolean()) {
    return ReplyError(res, InvalidArgument("disabled must be true or false"), "disabled");
  }
  const bool disabled = (*body)["disabled"].get<bool>();
  if (disabled && name == req.user) {
    return ReplyError(res, FailedPrecondition("you cannot disable yourself: another admin can"),
                      "name");
  }
  Result<std::optional<StoredUser>> after = [&]() -> Result<std::optional<StoredUser>> {
    CatalogSession session = s.hub.OpenCatalog();
    FH_RETURN_IF_ERROR(session.access().SetUserDisabled(name, disabled, NowNs()));
    return session.access().FindUser(name);
  }();
  if (!after.ok()) return ReplyError(res, after.status(), "name");
  Audited(s, req, res, {"", disabled ? "user.disable" : "user.enable", name},
          UserJson(after->value_or(StoredUser{})));
}

void HandleTokens(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<StoredToken>> tokens = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.access().ListTokens();
  }();
  if (!tokens.ok()) return ReplyError(res, tokens.status());
  const TimestampNs now = NowNs();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StoredToken& t : *tokens)
    list.push_back(TokenJson(t, now));
  ReplyJson(res, {{"tokens", std::move(list)}});
}

void HandleTokenCreate(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  TokenRequest request;
  for (auto [key, out] : {std::pair{"role", &request.role}, std::pair{"scope", &request.scope},
                          std::pair{"user", &request.user}, std::pair{"expires", &request.expires},
                          std::pair{"description", &request.description}}) {
    if (Status st = BodyText(*body, key, *out); !st.ok()) return ReplyError(res, st, key);
  }
  const TimestampNs now = NowNs();
  std::string field;
  Result<IssuedToken> issued = [&] {
    CatalogSession session = s.hub.OpenCatalog();
    return IssueToken(session.access(), request, now, &field);
  }();
  if (!issued.ok()) return ReplyError(res, issued.status(), field);
  const StoredToken& t = issued->stored;
  nlohmann::ordered_json answer = TokenJson(t, now);
  answer["secret"] = issued->secret;  // shown this once
  Audited(s, req, res,
          {"",
           "token.create",
           std::to_string(t.id),
           {{"role", request.role},
            {"scope", t.scope},
            {"user", request.user},
            {"token", t.display},
            {"expires_at", t.expires_at ? FormatRfc3339(*t.expires_at) : "never"}}},
          answer);
}

void HandleTokenRevoke(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status());
  if (!body->contains("id") || !(*body)["id"].is_number_integer()) {
    return ReplyError(res, InvalidArgument("id is required: the token's number"), "id");
  }
  const int64_t id = (*body)["id"].get<int64_t>();
  Status revoked = [&] {
    CatalogSession session = s.hub.OpenCatalog();
    return session.access().RevokeToken(id, NowNs());
  }();
  if (!revoked.ok()) return ReplyError(res, revoked, "id");
  Audited(s, req, res, {"", "token.revoke", std::to_string(id)}, {{"id", id}, {"revoked", true}});
}

void HandleAuditEntries(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"from", "limit", "action"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  const Result<int64_t> limit = LimitParam(req, 100, 10000);
  if (!limit.ok()) return ReplyError(res, limit.status(), "limit");
  const std::string action = req.Param("action");  // a prefix: "share." for every share
  // The newest entry shown: `from` (an entry's number), else the last.
  const Result<uint64_t> from = CountParam(req, "from", UINT64_MAX - 1);
  if (!from.ok()) return ReplyError(res, from.status(), "from");
  Result<nlohmann::ordered_json> answer = [&]() -> Result<nlohmann::ordered_json> {
    CatalogSession session = hub.OpenCatalog();
    AuditLedger& ledger = session.audit();
    FH_ASSIGN_OR_RETURN(const uint64_t size, ledger.Size());
    // Newest first: pages of the log read backwards until `limit` entries matched.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    uint64_t end = std::min(size, *from + 1);
    constexpr uint64_t kPage = 500;
    while (end > 0 && list.size() < static_cast<size_t>(*limit)) {
      const uint64_t begin = end > kPage ? end - kPage : 0;
      FH_ASSIGN_OR_RETURN(std::vector<security::AuditEntry> page,
                          ledger.Entries(begin, static_cast<size_t>(end - begin)));
      for (auto e = page.rbegin(); e != page.rend() && list.size() < static_cast<size_t>(*limit);
           ++e) {
        if (action.empty() || e->action.starts_with(action)) list.push_back(AuditEntryJson(*e));
      }
      end = begin;
    }
    return nlohmann::ordered_json{{"size", size}, {"entries", std::move(list)}};
  }();
  if (!answer.ok()) return ReplyError(res, answer.status());
  ReplyJson(res, *answer);
}

void HandleAuditVerify(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<security::SigningKey> key = HubSigningKey(hub);
  if (!key.ok()) return ReplyError(res, key.status());
  Result<LedgerCheck> check = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.audit().Verify(key->public_key());
  }();
  if (!check.ok()) return ReplyError(res, check.status());
  ReplyJson(res, LedgerCheckJson(*check));
}

void HandleShares(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<ReceivedRecords>> received = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.shares().Received();
  }();
  if (!received.ok()) return ReplyError(res, received.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ReceivedRecords& r : *received) {
    list.push_back({{"agreement", r.agreement},
                    {"sender_hub", r.sender_hub},
                    {"entity", r.entity},
                    {"records", r.records},
                    {"last_imported", FormatRfc3339(r.last_imported_at)}});
  }
  ReplyJson(res, {{"received", std::move(list)}});
}

}  // namespace fh::api
