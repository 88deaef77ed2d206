// factoryhub share key|export|import|revoke|received: data shared with partner hubs under an
// agreement (docs/sharing.md).
#include <fstream>
#include <sstream>

#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "common/time.h"
#include "security/api_token.h"
#include "security/merkle.h"
#include "share/share_package.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/share/share_store.h"

namespace fh::cli {
namespace {

struct ShareCli {
  std::string hub;
  std::string agreement;  // export: the agreement file
  std::string out;        // export: the package file
  std::string package;    // import: the package file
  std::string sender_key;
  std::string reason;  // revoke
  std::string entity;  // received: one entity's records
  int64_t limit = 20;  // received: records shown
  bool json = false;
};

// An agreement named by its file or its id.
Result<std::string> AgreementId(const std::string& given) {
  if (given.ends_with(".yaml") || given.ends_with(".yml") || given.find('/') != std::string::npos) {
    FH_ASSIGN_OR_RETURN(const share::Agreement a, share::Agreement::Load(given));
    return a.id;
  }
  return given;
}

Status RunKey(const ShareCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const security::BoxPublicKey box, share::HubBoxPublicKey(*hub));
  FH_ASSIGN_OR_RETURN(const security::SigningKey signer, HubSigningKey(*hub));
  if (o.json) {
    PrintJson({{"hub", hub->config().name},
               {"box_key", security::Hex(box)},
               {"signing_key", security::Hex(signer.public_key())}});
    return Status::Ok();
  }
  fmt::print(
      "Hub '{}'\n"
      "  box key (a partner's agreement names it as partner_key):  {}\n"
      "  signing key (a partner imports with --sender-key):         {}\n",
      hub->config().name, security::Hex(box), security::Hex(signer.public_key()));
  return Status::Ok();
}

Status RunExport(const ShareCli& o) {
  FH_ASSIGN_OR_RETURN(const share::Agreement a, share::Agreement::Load(o.agreement));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const share::ExportedPackage p,
                      share::ExportShare(*hub, a, CliActor(), NowNs()));
  const std::string out = o.out.empty() ? a.id + ".fhshare" : o.out;
  {
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << p.bytes;
    if (!file.flush()) return IOError("cannot write {}", out);
  }
  if (o.json) {
    PrintJson({{"package", out},
               {"agreement", a.id},
               {"partner", a.partner},
               {"series", p.series},
               {"buckets", p.buckets},
               {"records", p.records},
               {"sha256", p.sha256},
               {"ledger_entry", p.ledger_entry}});
    return Status::Ok();
  }
  std::string what;
  if (!a.tags.empty()) {
    what = fmt::format("{} series, {} buckets of {} ({})", p.series, p.buckets,
                       FormatDuration(a.every_ns),
                       a.pseudonymise_tags ? "tag names pseudonymised" : "tag names as stored");
  }
  if (!a.records.empty()) {
    what += fmt::format("{}{} records of {} entit{}", what.empty() ? "" : ", ", p.records,
                        a.records.size(), a.records.size() == 1 ? "y" : "ies");
  }
  fmt::print(
      "Wrote {} for {} (agreement {}): {}, sealed to the partner's key and signed; ledger entry "
      "{}.\nsha256 {}\n",
      out, a.partner, a.id, what, p.ledger_entry, p.sha256);
  return Status::Ok();
}

Status RunImport(const ShareCli& o) {
  Result<security::Hash> sender = security::HashFromHex(o.sender_key);
  if (!sender.ok()) {
    return InvalidArgument(
        "--sender-key: the partner hub's signing key, 64 hex digits (its `share key`)");
  }
  std::ifstream in(o.package, std::ios::binary | std::ios::ate);
  if (!in) return NotFound("{}: cannot be read", o.package);
  const auto size = static_cast<size_t>(in.tellg());
  if (size > share::kMaxPackageBytes) {
    return InvalidArgument("{}: {} bytes, more than a package may be", o.package, size);
  }
  std::string bytes(size, '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const share::ImportedShare s,
                      share::ImportShare(*hub, bytes, o.package, *sender, CliActor(), NowNs()));
  if (o.json) {
    PrintJson({{"agreement", s.agreement},
               {"sender_hub", s.sender_hub},
               {"sender_key", s.sender_key_id},
               {"series", s.series},
               {"points", s.points},
               {"records", s.records},
               {"sha256", s.sha256},
               {"sender_ledger_size", s.sender_ledger_size},
               {"ledger_entry", s.ledger_entry}});
    return Status::Ok();
  }
  fmt::print(
      "Imported agreement {} from hub '{}' (key {}): {} series, {} points, {} records; the "
      "sender's ledger head of {} entries verified; ledger entry {}.\n",
      s.agreement, s.sender_hub, s.sender_key_id, s.series, s.points, s.records,
      s.sender_ledger_size, s.ledger_entry);
  return Status::Ok();
}

Status RunRevoke(const ShareCli& o) {
  FH_ASSIGN_OR_RETURN(const std::string id, AgreementId(o.agreement));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const TimestampNs now = NowNs();
  FH_RETURN_IF_ERROR(share::RevokeAgreement(*hub, id, o.reason, CliActor(), now));
  if (o.json) {
    PrintJson({{"agreement", id}, {"revoked_at", FormatRfc3339(now)}, {"reason", o.reason}});
    return Status::Ok();
  }
  fmt::print(
      "Revoked agreement {}: this hub exports and imports nothing under it from now on "
      "(recorded in the audit ledger).\n",
      id);
  return Status::Ok();
}

Status RunReceived(const ShareCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  if (o.agreement.empty()) {  // what came, by agreement and entity
    FH_ASSIGN_OR_RETURN(const std::vector<ReceivedRecords> received, session.shares().Received());
    if (o.json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const ReceivedRecords& r : received) {
        list.push_back({{"agreement", r.agreement},
                        {"sender_hub", r.sender_hub},
                        {"entity", r.entity},
                        {"records", r.records},
                        {"last_imported", FormatRfc3339(r.last_imported_at)}});
      }
      PrintJson(list);
      return Status::Ok();
    }
    if (received.empty()) {
      fmt::print("No records received from partners (tags are under partner.<agreement>).\n");
    }
    for (const ReceivedRecords& r : received) {
      fmt::print("{}  from '{}'  {}: {} records, last imported {}\n", r.agreement, r.sender_hub,
                 r.entity, r.records, FormatRfc3339(r.last_imported_at));
    }
    return Status::Ok();
  }
  FH_ASSIGN_OR_RETURN(const std::string id, AgreementId(o.agreement));
  FH_ASSIGN_OR_RETURN(const std::vector<SharedRecord> records,
                      session.shares().Records(id, o.entity, o.limit));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const SharedRecord& r : records) {
    list.push_back({{"entity", r.entity},
                    {"key", r.key},
                    {"fields", nlohmann::ordered_json::parse(r.fields_json)},
                    {"sender_hub", r.sender_hub},
                    {"package_sha256", r.package_sha256}});
  }
  if (o.json) {
    PrintJson(list);
    return Status::Ok();
  }
  if (records.empty()) fmt::print("No records received under agreement {}.\n", id);
  for (const nlohmann::ordered_json& r : list) {
    fmt::print("{} {}  {}\n", r["entity"].get<std::string>(), r["key"].get<std::string>(),
               JsonText(r["fields"]));
  }
  return Status::Ok();
}

}  // namespace

Command RegisterShare(CLI::App& parent) {
  auto o = std::make_shared<ShareCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand(
      "share", "Share aggregates and records with a partner hub under an agreement");
  sub->require_subcommand(1);

  CLI::App* key = sub->add_subcommand("key", "Print this hub's keys for sharing");
  AddHubOption(key, &o->hub);
  AddJsonOption(key, &o->json);
  key->callback([which] { *which = "key"; });

  CLI::App* exp = sub->add_subcommand(
      "export", "Write a package of what an agreement allows, sealed to the partner and signed");
  AddHubOption(exp, &o->hub);
  exp->add_option("--agreement", o->agreement, "The agreement (YAML)")->required();
  exp->add_option("--out", o->out, "The package file (default: AGREEMENT-ID.fhshare)");
  AddJsonOption(exp, &o->json);
  exp->callback([which] { *which = "export"; });

  CLI::App* imp = sub->add_subcommand(
      "import", "Verify a partner's package and store it (nothing when any check fails)");
  AddHubOption(imp, &o->hub);
  imp->add_option("PACKAGE", o->package, "The package file")->required();
  imp->add_option("--sender-key", o->sender_key,
                  "The partner hub's signing key (its `share key`), 64 hex digits")
      ->required();
  AddJsonOption(imp, &o->json);
  imp->callback([which] { *which = "import"; });

  CLI::App* revoke = sub->add_subcommand(
      "revoke", "Stop exporting (or importing) under an agreement before it expires");
  AddHubOption(revoke, &o->hub);
  revoke->add_option("--agreement", o->agreement, "The agreement: its file or its id")->required();
  revoke->add_option("--reason", o->reason, "Why (kept in the ledger)");
  AddJsonOption(revoke, &o->json);
  revoke->callback([which] { *which = "revoke"; });

  CLI::App* received = sub->add_subcommand(
      "received", "The records partners shared with this hub (their tags are under partner.*)");
  AddHubOption(received, &o->hub);
  received->add_option("--agreement", o->agreement,
                       "List this agreement's records (its file or id) instead of a summary");
  received->add_option("--entity", o->entity, "Only this entity's records");
  received->add_option("--limit", o->limit, "At most this many records (20)")
      ->check(CLI::Range(1, 1000000));
  AddJsonOption(received, &o->json);
  received->callback([which] { *which = "received"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub share key --hub supplier\n"
      "  factoryhub share export --hub plant --agreement acme-spindles.yaml --out acme.fhshare\n"
      "  factoryhub share import --hub supplier acme.fhshare --sender-key 3f9a...\n"
      "  factoryhub share received --hub supplier --agreement acme-spindles --entity inspection\n"
      "  factoryhub share revoke --hub plant --agreement acme-spindles --reason 'study ended'");
  return {sub, [o, which]() -> Status {
            if (*which == "key") return RunKey(*o);
            if (*which == "export") return RunExport(*o);
            if (*which == "revoke") return RunRevoke(*o);
            if (*which == "received") return RunReceived(*o);
            return RunImport(*o);
          }};
}

}  // namespace fh::cli
