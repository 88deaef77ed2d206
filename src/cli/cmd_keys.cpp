// factoryhub keys init|status|rotate: the keys of encryption at rest (docs/security.md#
// encryption-at-rest): the master key, outside the database, and the data keys it wraps.
#include <fstream>
#include <sstream>

#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "security/api_token.h"
#include "security/field_cipher.h"
#include "store/catalog_session.h"
#include "store/keys/field_protection.h"

namespace fh::cli {
namespace {

namespace fs = std::filesystem;

struct KeysCli {
  std::string hub;
  std::string master;  // rotate: the new master key's file
  bool json = false;
};

fs::path KeyFile(const Hub& hub) {
  const std::string& f = hub.config().encryption.key_file;
  return !f.empty() && f.front() == '/' ? fs::path(f) : hub.dir() / f;
}

Status RunInit(const KeysCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  if (!hub->config().encryption.key_env.empty()) {
    fmt::print("{}\n", security::Hex(security::RandomKey()));
    fmt::print(stderr,
               "This hub reads its master key from ${}: set it to the line above (a secrets "
               "manager, the service's environment), and keep a copy apart from the hub.\n",
               hub->config().encryption.key_env);
    return Status::Ok();
  }
  const fs::path path = KeyFile(*hub);
  FH_RETURN_IF_ERROR(CreateMasterKeyFile(path));
  FH_RETURN_IF_ERROR(Audit(*hub, "keys.init", "master"));
  fmt::print(
      "Wrote the master key to {} (0600). Keep a copy apart from the hub: a backup of the hub "
      "without it reads no encrypted field.\n",
      path.string());
  return Status::Ok();
}

Status RunStatus(const KeysCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<std::vector<StoredFieldKey>> keys = [&] {
    CatalogSession session = hub->OpenCatalog();
    return session.FieldKeys();
  }();
  FH_RETURN_IF_ERROR(keys.status());
  const EncryptionConfig& config = hub->config().encryption;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StoredFieldKey& k : *keys) {
    nlohmann::ordered_json j{{"id", k.id},
                             {"created", k.created_at ? FormatRfc3339(k.created_at) : ""},
                             {"state", k.retired_at ? "retired" : "active"}};
    if (k.retired_at) j["retired"] = FormatRfc3339(*k.retired_at);
    list.push_back(std::move(j));
  }
  const nlohmann::ordered_json doc{
      {"fields", config.fields},
      {"master_key", config.key_env.empty() ? KeyFile(*hub).string() : "$" + config.key_env},
      {"data_keys", list}};
  if (o.json) {
    PrintJson(doc);
    return Status::Ok();
  }
  fmt::print("Encrypted fields: {}\nMaster key: {}\nData keys:\n", fmt::join(config.fields, ", "),
             doc["master_key"].get<std::string>());
  for (const auto& k : list) {
    fmt::print("  {}  {}  created {}{}\n", k["id"].get<int64_t>(), k["state"].get<std::string>(),
               k["created"].get<std::string>(),
               k.contains("retired") ? ", retired " + k["retired"].get<std::string>() : "");
  }
  return Status::Ok();
}

Status RunRotate(const KeysCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  if (!o.master.empty()) {
    std::ifstream in(o.master, std::ios::binary);
    if (!in) return NotFound("--master {}: cannot be read", o.master);
    std::stringstream text;
    text << in.rdbuf();
    FH_ASSIGN_OR_RETURN(const security::SecretKey next,
                        security::ParseMasterKey(text.str(), o.master));
    Status s = [&] {
      CatalogSession session = hub->OpenCatalog();
      return session.RewrapFieldKeys(next);
    }();
    FH_RETURN_IF_ERROR(s);
    FH_RETURN_IF_ERROR(Audit(*hub, "keys.rotate", "master"));
    fmt::print(
        "Every data key is now wrapped with the master key of {}: put it where the hub reads its "
        "master key ({}) now; the old one opens nothing any more.\n",
        o.master,
        hub->config().encryption.key_env.empty() ? KeyFile(*hub).string()
                                                 : "$" + hub->config().encryption.key_env);
    return Status::Ok();
  }
  Result<FieldKeyRotation> r = [&] {
    CatalogSession session = hub->OpenCatalog();
    return session.RotateFieldKeys(NowNs());
  }();
  FH_RETURN_IF_ERROR(r.status());
  FH_RETURN_IF_ERROR(Audit(*hub, "keys.rotate", "data",
                           {{"new_key", r->new_key},
                            {"values", r->values},
                            {"retired", r->retired},
                            {"dropped", r->dropped}}));
  if (o.json) {
    PrintJson({{"new_key", r->new_key},
               {"values", r->values},
               {"retired", r->retired},
               {"dropped", r->dropped}});
    return Status::Ok();
  }
  fmt::print("Data key {} is active: {} values re-encrypted; retired: {}; dropped: {}.\n",
             r->new_key, r->values,
             r->retired.empty() ? "none" : fmt::format("{}", fmt::join(r->retired, ", ")),
             r->dropped.empty() ? "none" : fmt::format("{}", fmt::join(r->dropped, ", ")));
  return Status::Ok();
}

}  // namespace

Command RegisterKeys(CLI::App& parent) {
  auto o = std::make_shared<KeysCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand("keys", "Keys of the encrypted catalog fields");
  sub->require_subcommand(1);
  CLI::App* init = sub->add_subcommand("init", "Make the master key (a 0600 file, or print it)");
  AddHubOption(init, &o->hub);
  init->callback([which] { *which = "init"; });
  CLI::App* status = sub->add_subcommand("status", "The encrypted fields and the data keys");
  AddHubOption(status, &o->hub);
  AddJsonOption(status, &o->json);
  status->callback([which] { *which = "status"; });
  CLI::App* rotate = sub->add_subcommand(
      "rotate", "A new data key for every encrypted value (or, with --master, a new master key)");
  AddHubOption(rotate, &o->hub);
  rotate
      ->add_option("--master", o->master,
                   "Wrap the data keys with the master key in this file instead")
      ->type_name("FILE");
  AddJsonOption(rotate, &o->json);
  rotate->callback([which] { *which = "rotate"; });
  sub->footer(
      "Examples:\n"
      "  factoryhub keys init --hub plant\n"
      "  factoryhub keys rotate --hub plant\n"
      "  factoryhub keys status --hub plant --json");
  return {sub, [o, which]() -> Status {
            if (*which == "init") return RunInit(*o);
            if (*which == "status") return RunStatus(*o);
            return RunRotate(*o);
          }};
}

}  // namespace fh::cli
