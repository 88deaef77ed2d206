// factoryhub token create|list|revoke: API tokens for machines, scripts and InfluxDB clients
// (docs/security.md). A token is shown once, when created; the hub keeps its SHA-256.
#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "security/api_token.h"
#include "security/role.h"
#include "store/access/access_store.h"

namespace fh::cli {
namespace {

struct TokenCli {
  std::string hub;
  std::string role = "viewer";
  std::string scope;
  std::string user;
  std::string expires = "90d";
  std::string description;
  int64_t id = 0;
  bool json = false;
};

std::string TokenState(const StoredToken& t, TimestampNs now) {
  if (t.revoked_at) return "revoked " + FormatRfc3339(*t.revoked_at);
  if (t.expires_at && now >= *t.expires_at) return "expired";
  if (t.user_disabled) return "user disabled";
  return "valid";
}

Status RunCreate(const TokenCli& o) {
  FH_ASSIGN_OR_RETURN(const security::Role role, security::ParseRole(o.role));
  FH_RETURN_IF_ERROR(security::ValidateScope(o.scope).WithContext("--scope"));
  const TimestampNs now = NowNs();
  std::optional<int64_t> expires_at;
  if (o.expires != "never") {
    const Result<int64_t> lifetime = ParseDuration(o.expires);
    if (!lifetime.ok() || *lifetime <= 0) {
      return InvalidArgument("--expires '{}': a duration such as 90d or 12h, or never", o.expires);
    }
    expires_at = now + *lifetime;
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  StoredToken t;
  const security::NewToken secret = security::GenerateToken();
  int64_t id = 0;
  {
    CatalogSession session = hub->OpenCatalog();
    if (!o.user.empty()) {
      FH_ASSIGN_OR_RETURN(std::optional<StoredUser> user, session.access().FindUser(o.user));
      if (!user) return NotFound("no user '{}'", o.user);
      // A token never allows more than its user.
      if (role > user->role) {
        return InvalidArgument("--role {}: {} is only {}", o.role, o.user,
                               security::RoleName(user->role));
      }
      if (!security::ScopeCovers(user->scope, o.scope.empty() ? user->scope : o.scope)) {
        return InvalidArgument("--scope {}: {} is limited to {}", o.scope, o.user, user->scope);
      }
      t.user_id = user->id;
      t.scope = o.scope.empty() ? user->scope : o.scope;
    } else {
      t.scope = o.scope;
    }
    t.hash = secret.hash;
    t.display = secret.display;
    t.description = o.description;
    t.role = role;
    t.created_at = now;
    t.expires_at = expires_at;
    FH_ASSIGN_OR_RETURN(id, session.access().AddToken(t));
  }
  FH_RETURN_IF_ERROR(Audit(*hub, "token.create", std::to_string(id),
                           {{"role", o.role},
                            {"scope", t.scope},
                            {"user", o.user},
                            {"token", secret.display},
                            {"expires_at", expires_at ? FormatRfc3339(*expires_at) : "never"}}));
  if (o.json) {
    PrintJson({{"id", id},
               {"token", secret.secret},
               {"role", o.role},
               {"scope", t.scope},
               {"user", o.user},
               {"expires_at", expires_at ? nlohmann::ordered_json(FormatRfc3339(*expires_at))
                                         : nlohmann::ordered_json(nullptr)}});
    return Status::Ok();
  }
  fmt::print("{}\n", secret.secret);
  fmt::print(stderr,
             "Token {} ({}{}{}, {}). It is shown only now: keep it where its client reads it.\n"
             "Send it as: Authorization: Bearer <token> (or Token <token>, as InfluxDB clients "
             "do)\n",
             id, o.role, t.scope.empty() ? "" : ", scope " + t.scope,
             o.user.empty() ? "" : ", of " + o.user,
             expires_at ? "expires " + FormatRfc3339(*expires_at) : "never expires");
  return Status::Ok();
}

Status RunList(const TokenCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<StoredToken> tokens, session.access().ListTokens());
  const TimestampNs now = NowNs();
  auto time_or = [](const std::optional<int64_t>& t, const char* none) {
    return t ? FormatRfc3339(*t) : std::string(none);
  };
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StoredToken& t : tokens) {
      list.push_back(
          {{"id", t.id},
           {"token", t.display},
           {"role", security::RoleName(t.role)},
           {"scope", t.scope},
           {"user", t.user},
           {"description", t.description},
           {"created_at", FormatRfc3339(t.created_at)},
           {"expires_at", t.expires_at ? nlohmann::ordered_json(FormatRfc3339(*t.expires_at))
                                       : nlohmann::ordered_json(nullptr)},
           {"state", TokenState(t, now)}});
    }
    PrintJson(list);
    return Status::Ok();
  }
  if (tokens.empty()) {
    fmt::print("No tokens. Create one with factoryhub token create --role operator.\n");
    return Status::Ok();
  }
  Table t({{"id", true},
           {"token"},
           {"role"},
           {"scope"},
           {"user"},
           {"expires"},
           {"state"},
           {"description"}});
  for (const StoredToken& k : tokens) {
    t.AddRow({std::to_string(k.id), k.display, std::string(security::RoleName(k.role)),
              k.scope.empty() ? "all" : k.scope, k.user, time_or(k.expires_at, "never"),
              TokenState(k, now), k.description});
  }
  t.Print();
  return Status::Ok();
}

Status RunRevoke(const TokenCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  {
    CatalogSession session = hub->OpenCatalog();
    FH_RETURN_IF_ERROR(session.access().RevokeToken(o.id, NowNs()));
  }
  FH_RETURN_IF_ERROR(Audit(*hub, "token.revoke", std::to_string(o.id)));
  fmt::print("Revoked token {}: a running server refuses it within seconds.\n", o.id);
  return Status::Ok();
}

}  // namespace

Command RegisterToken(CLI::App& parent) {
  auto o = std::make_shared<TokenCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand("token", "API tokens for machines, scripts and clients");
  sub->require_subcommand(1);

  CLI::App* create = sub->add_subcommand("create", "Create a token and print it (once)");
  AddHubOption(create, &o->hub);
  create->add_option("--role", o->role, "viewer, operator, engineer or admin")
      ->check(CLI::IsMember({"viewer", "operator", "engineer", "admin"}))
      ->required();
  create->add_option("--scope", o->scope, "Limit to an ISA-95 path (default: the user's)");
  create->add_option("--user", o->user, "The user it acts for (its role is the most it gets)");
  create->add_option("--expires", o->expires, "Lifetime (90d, 12h, ...) or never")
      ->default_val("90d");
  create->add_option("--description", o->description, "What it is for (telegraf on line 2)");
  AddJsonOption(create, &o->json);
  create->callback([which] { *which = "create"; });

  CLI::App* list = sub->add_subcommand("list", "Every token, newest first (not the secrets)");
  AddHubOption(list, &o->hub);
  AddJsonOption(list, &o->json);
  list->callback([which] { *which = "list"; });

  CLI::App* revoke = sub->add_subcommand("revoke", "Stop a token for good");
  AddHubOption(revoke, &o->hub);
  revoke->add_option("ID", o->id, "The token's id (token list)")->required();
  revoke->callback([which] { *which = "revoke"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub token create --hub plant --role operator --description 'telegraf line 2'\n"
      "  curl -H \"Authorization: Bearer $TOKEN\" http://localhost:8080/api/v1/tags\n"
      "  factoryhub token revoke --hub plant 3");
  return {sub, [o, which]() -> Status {
            if (*which == "create") return RunCreate(*o);
            if (*which == "list") return RunList(*o);
            return RunRevoke(*o);
          }};
}

}  // namespace fh::cli
