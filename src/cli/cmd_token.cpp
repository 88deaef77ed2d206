// factoryhub token create|list|revoke: API tokens for machines, scripts and InfluxDB clients
// (docs/security.md). A token is shown once, when created; the hub keeps its SHA-256.
#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "security/api_token.h"
#include "security/role.h"
#include "store/access/access_store.h"
#include "store/access/token_issue.h"

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

Status RunCreate(const TokenCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const TokenRequest request{o.role, o.scope, o.user, o.expires, o.description};
  std::string field;
  Result<IssuedToken> issued = [&] {
    CatalogSession session = hub->OpenCatalog();
    return IssueToken(session.access(), request, NowNs(), &field);
  }();
  if (!issued.ok()) {
    // The request's field is the command's flag: "expires 'soon': ..." is --expires (an
    // unknown user's message names the user).
    const bool flag = !field.empty() && field != "user";
    return Status(issued.status().code(), (flag ? "--" : "") + issued.status().message());
  }
  const StoredToken& t = issued->stored;
  const std::string expires = t.expires_at ? FormatRfc3339(*t.expires_at) : "never";
  FH_RETURN_IF_ERROR(Audit(*hub, "token.create", std::to_string(t.id),
                           {{"role", o.role},
                            {"scope", t.scope},
                            {"user", o.user},
                            {"token", t.display},
                            {"expires_at", expires}}));
  if (o.json) {
    PrintJson({{"id", t.id},
               {"token", issued->secret},
               {"role", o.role},
               {"scope", t.scope},
               {"user", o.user},
               {"expires_at",
                t.expires_at ? nlohmann::ordered_json(expires) : nlohmann::ordered_json(nullptr)}});
    return Status::Ok();
  }
  fmt::print("{}\n", issued->secret);
  fmt::print(stderr,
             "Token {} ({}{}{}, {}). It is shown only now: keep it where its client reads it.\n"
             "Send it as: Authorization: Bearer <token> (or Token <token>, as InfluxDB clients "
             "do)\n",
             t.id, o.role, t.scope.empty() ? "" : ", scope " + t.scope,
             o.user.empty() ? "" : ", of " + o.user,
             t.expires_at ? "expires " + expires : "never expires");
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
    for (const StoredToken& t : tokens)
      list.push_back(TokenJson(t, now));
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
           {"last used"},
           {"description"}});
  for (const StoredToken& k : tokens) {
    t.AddRow({std::to_string(k.id), k.display, std::string(security::RoleName(k.role)),
              k.scope.empty() ? "all" : k.scope, k.user, time_or(k.expires_at, "never"),
              TokenState(k, now), time_or(k.last_used_at, "never"), k.description});
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
