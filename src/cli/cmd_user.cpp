// factoryhub user add|list|passwd|disable|enable|role: the people who may use the hub's API
// (docs/security.md). Whoever can open the hub folder administers it, as with any database's
// local tools: the folder is the owner's alone (0700).
#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/password_input.h"
#include "common/time.h"
#include "security/password.h"
#include "security/role.h"
#include "store/access/access_store.h"
#include "store/access/token_issue.h"

namespace fh::cli {
namespace {

struct UserCli {
  std::string hub;
  std::string name;
  std::string role = "viewer";
  std::string scope;
  bool password_stdin = false;
  bool json = false;
};

// Runs `fn` on the hub's users, then records `action` on `name` in the audit ledger (after
// the catalog is released: the ledger needs it too).
template <typename Fn>
Status ChangeAndAudit(const std::string& hub_dir, const std::string& action,
                      const std::string& name, nlohmann::json detail, Fn fn) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(hub_dir));
  {
    CatalogSession session = hub->OpenCatalog();
    FH_RETURN_IF_ERROR(fn(session.access()));
  }
  return Audit(*hub, action, name, std::move(detail));
}

Status RunAdd(const UserCli& o) {
  FH_ASSIGN_OR_RETURN(const security::Role role, security::ParseRole(o.role));
  FH_RETURN_IF_ERROR(security::ValidateScope(o.scope).WithContext("--scope"));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  {
    CatalogSession session = hub->OpenCatalog();
    FH_ASSIGN_OR_RETURN(std::optional<StoredUser> existing, session.access().FindUser(o.name));
    if (existing) return AlreadyExists("user '{}' exists already", o.name);
  }
  // Asked before the catalog is held: typing takes a while.
  FH_ASSIGN_OR_RETURN(const std::string password, ReadNewPassword(o.password_stdin));
  FH_ASSIGN_OR_RETURN(const std::string hash, security::HashPassword(password));
  int64_t before = 0;
  {
    CatalogSession session = hub->OpenCatalog();
    FH_ASSIGN_OR_RETURN(before, session.access().CountPrincipals());
    StoredUser u;
    u.name = o.name;
    u.role = role;
    u.scope = o.scope;
    u.password_hash = hash;
    u.created_at = NowNs();
    FH_RETURN_IF_ERROR(session.access().AddUser(u).status());
  }
  FH_RETURN_IF_ERROR(Audit(*hub, "user.add", o.name, {{"role", o.role}, {"scope", o.scope}}));
  fmt::print("Added user {} ({}{}).\n", o.name, o.role,
             o.scope.empty() ? "" : ", scope " + o.scope);
  if (before == 0) {
    fmt::print(
        "The hub's API now needs credentials: a running server asks for them within seconds.\n"
        "Machines and scripts use tokens: factoryhub token create --hub {} --user {} --role "
        "operator\n",
        o.hub.empty() ? "$FH_HUB" : o.hub, o.name);
  }
  return Status::Ok();
}

Status RunList(const UserCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  {
    FH_ASSIGN_OR_RETURN(std::vector<StoredUser> users, session.access().ListUsers());
    if (o.json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const StoredUser& u : users)
        list.push_back(UserJson(u));
      PrintJson(list);
      return Status::Ok();
    }
    if (users.empty()) {
      fmt::print(
          "No users: the API answers everyone on this machine. Add one with factoryhub "
          "user add NAME --role admin.\n");
      return Status::Ok();
    }
    Table t({{"user"}, {"role"}, {"scope"}, {"state"}, {"created"}, {"last seen"}});
    for (const StoredUser& u : users) {
      t.AddRow({u.name, std::string(security::RoleName(u.role)), u.scope.empty() ? "all" : u.scope,
                u.disabled ? "disabled" : "active", FormatRfc3339(u.created_at),
                u.last_seen_at ? FormatRfc3339(*u.last_seen_at) : "never"});
    }
    t.Print();
    return Status::Ok();
  }
}

Status RunPasswd(const UserCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  {
    CatalogSession session = hub->OpenCatalog();
    FH_ASSIGN_OR_RETURN(std::optional<StoredUser> existing, session.access().FindUser(o.name));
    if (!existing) return NotFound("no user '{}'", o.name);
  }
  FH_ASSIGN_OR_RETURN(const std::string password, ReadNewPassword(o.password_stdin));
  FH_ASSIGN_OR_RETURN(const std::string hash, security::HashPassword(password));
  {
    CatalogSession session = hub->OpenCatalog();
    FH_RETURN_IF_ERROR(session.access().SetPasswordHash(o.name, hash, NowNs()));
  }
  FH_RETURN_IF_ERROR(Audit(*hub, "user.passwd", o.name));
  fmt::print("Changed the password of {}.\n", o.name);
  return Status::Ok();
}

Status RunSetDisabled(const UserCli& o, bool disabled) {
  FH_RETURN_IF_ERROR(ChangeAndAudit(
      o.hub, disabled ? "user.disable" : "user.enable", o.name, {},
      [&](AccessStore& access) { return access.SetUserDisabled(o.name, disabled, NowNs()); }));
  fmt::print("{} {}{}.\n", disabled ? "Disabled" : "Enabled", o.name,
             disabled ? ": their password and tokens stop working within seconds" : "");
  return Status::Ok();
}

Status RunRole(const UserCli& o) {
  FH_ASSIGN_OR_RETURN(const security::Role role, security::ParseRole(o.role));
  FH_RETURN_IF_ERROR(security::ValidateScope(o.scope).WithContext("--scope"));
  FH_RETURN_IF_ERROR(ChangeAndAudit(
      o.hub, "user.role", o.name, {{"role", o.role}, {"scope", o.scope}},
      [&](AccessStore& access) { return access.SetUserRole(o.name, role, o.scope, NowNs()); }));
  fmt::print("{} is now {} ({}); tokens keep the role they were created with.\n", o.name, o.role,
             o.scope.empty() ? "all of the hub" : "scope " + o.scope);
  return Status::Ok();
}

}  // namespace

Command RegisterUser(CLI::App& parent) {
  auto o = std::make_shared<UserCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand("user", "People who may use the hub's API");
  sub->require_subcommand(1);
  auto role_option = [&](CLI::App* app) {
    app->add_option("--role", o->role, "viewer, operator, engineer or admin")
        ->check(CLI::IsMember({"viewer", "operator", "engineer", "admin"}));
    app->add_option("--scope", o->scope,
                    "Limit to an ISA-95 path (site, site/area or site/area/line)");
  };

  CLI::App* add = sub->add_subcommand("add", "Add a user with a role and a password");
  AddHubOption(add, &o->hub);
  add->add_option("NAME", o->name, "The user's name")->required();
  role_option(add);
  add->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  add->callback([which] { *which = "add"; });

  CLI::App* list = sub->add_subcommand("list", "Every user with role, scope and state");
  AddHubOption(list, &o->hub);
  AddJsonOption(list, &o->json);
  list->callback([which] { *which = "list"; });

  CLI::App* passwd = sub->add_subcommand("passwd", "Set a user's password");
  AddHubOption(passwd, &o->hub);
  passwd->add_option("NAME", o->name, "The user")->required();
  passwd->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  passwd->callback([which] { *which = "passwd"; });

  CLI::App* disable = sub->add_subcommand("disable", "Stop a user's password and tokens");
  AddHubOption(disable, &o->hub);
  disable->add_option("NAME", o->name, "The user")->required();
  disable->callback([which] { *which = "disable"; });

  CLI::App* enable = sub->add_subcommand("enable", "Let a disabled user in again");
  AddHubOption(enable, &o->hub);
  enable->add_option("NAME", o->name, "The user")->required();
  enable->callback([which] { *which = "enable"; });

  CLI::App* role = sub->add_subcommand("role", "Change a user's role and scope");
  AddHubOption(role, &o->hub);
  role->add_option("NAME", o->name, "The user")->required();
  role_option(role);
  role->get_option("--role")->required();
  role->callback([which] { *which = "role"; });

  sub->footer(
      "Roles, each allowed what the ones before it are: viewer (reads), operator (acknowledges\n"
      "alarms, writes live data), engineer (mappings, imports, models, definitions), admin.\n"
      "Examples:\n"
      "  factoryhub user add --hub plant li.wei --role admin\n"
      "  echo \"$PASSWORD\" | factoryhub user add --hub plant ops --role operator "
      "--password-stdin\n"
      "  factoryhub user disable --hub plant ops");
  return {sub, [o, which]() -> Status {
            if (*which == "add") return RunAdd(*o);
            if (*which == "list") return RunList(*o);
            if (*which == "passwd") return RunPasswd(*o);
            if (*which == "disable") return RunSetDisabled(*o, true);
            if (*which == "enable") return RunSetDisabled(*o, false);
            return RunRole(*o);
          }};
}

}  // namespace fh::cli
