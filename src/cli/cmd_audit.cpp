// factoryhub audit list|head|verify|proof|export: the tamper-evident audit ledger
// (docs/security.md): every state-changing action as an entry of an RFC 9162 Merkle tree,
// with tree heads signed by the hub's Ed25519 key.
#include <fstream>
#include <sstream>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "security/api_token.h"
#include "store/audit/audit_json.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace {

struct AuditCli {
  std::string hub;
  uint64_t from = 0;
  size_t limit = 100;
  uint64_t seq = 0;
  uint64_t size = 0;  // proof: the tree size (0: the latest head's)
  std::string head_file;
  bool json = false;
  std::shared_ptr<int> exit_code = std::make_shared<int>(0);
};

Status RunList(const AuditCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<security::AuditEntry> entries,
                      session.audit().Entries(o.from, o.limit));
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const security::AuditEntry& e : entries)
      list.push_back(AuditEntryJson(e));
    PrintJson(list);
    return Status::Ok();
  }
  if (entries.empty()) {
    fmt::print("The audit ledger has no entries{}.\n", o.from > 0 ? " from there on" : " yet");
    return Status::Ok();
  }
  Table t({{"seq", true}, {"time"}, {"actor"}, {"action"}, {"subject"}, {"detail"}});
  for (const security::AuditEntry& e : entries) {
    t.AddRow({std::to_string(e.seq), FormatRfc3339(e.ts), e.actor, e.action, e.subject,
              e.detail.empty() ? "" : e.detail.dump()});
  }
  t.Print();
  return Status::Ok();
}

Status RunHead(const AuditCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(security::SigningKey key, HubSigningKey(*hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::optional<SignedTreeHead> head, session.audit().LatestHead());
  if (!head) return NotFound("the audit ledger is empty: nothing has been signed yet");
  const nlohmann::ordered_json j = SignedHeadJson(*head, key.public_key());
  if (o.json) {
    PrintJson(j);
    return Status::Ok();
  }
  PrintKeyValues({{"entries", std::to_string(head->head.size)},
                  {"root hash", j["root_hash"]},
                  {"signed", j["time"]},
                  {"key", j["key_id"].get<std::string>() + " (Ed25519 " +
                              j["public_key"].get<std::string>() + ")"},
                  {"signature", j["signature"]}});
  fmt::print(
      "Keep it (audit head --json > head.json) to check later that nothing before it "
      "changed: audit verify --head head.json\n");
  return Status::Ok();
}

// A head saved earlier (audit head --json): its size and root, checked against its signature.
Result<security::TreeHead> ReadSavedHead(const std::string& path, const security::PublicKey& key) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read {}", path);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("{}: not a saved head", path);
  security::TreeHead head;
  try {
    head.size = j.at("tree_size").get<uint64_t>();
    head.ts = j.at("timestamp").get<int64_t>();
    FH_ASSIGN_OR_RETURN(head.root, security::HashFromHex(j.at("root_hash").get<std::string>()));
    if (j.at("public_key").get<std::string>() != security::Hex(key)) {
      return FailedPrecondition("{}: signed by another key than this hub's", path);
    }
    Result<security::Signature> sig =
        security::SignatureFromHex(j.at("signature").get<std::string>());
    if (!sig.ok()) return sig.status().WithContext(path);
    if (!security::VerifySignature(key, security::TreeHeadMessage(head), *sig)) {
      return FailedPrecondition("{}: its signature does not verify: not a head this hub signed",
                                path);
    }
  } catch (const std::exception& ex) {
    return InvalidArgument("{}: {}", path, ex.what());
  }
  return head;
}

Status RunVerify(const AuditCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(security::SigningKey key, HubSigningKey(*hub));
  std::optional<security::TreeHead> saved;
  if (!o.head_file.empty()) {
    FH_ASSIGN_OR_RETURN(saved, ReadSavedHead(o.head_file, key.public_key()));
  }
  CatalogSession session = hub->OpenCatalog();
  AuditLedger& ledger = session.audit();
  FH_ASSIGN_OR_RETURN(LedgerCheck check, ledger.Verify(key.public_key()));
  FH_ASSIGN_OR_RETURN(std::optional<SignedTreeHead> latest, ledger.LatestHead());
  // From a head the user kept: the log then must be a prefix of the log now.
  std::string consistency;
  if (saved) {
    if (!latest || latest->head.size < saved->size) {
      check.problems.push_back(
          fmt::format("the saved head covers {} entries, the ledger now {}: "
                      "entries were removed",
                      saved->size, latest ? latest->head.size : 0));
    } else {
      Result<std::vector<security::Hash>> proof =
          security::ConsistencyProof(ledger.Perfect(), saved->size, latest->head.size);
      if (!proof.ok() || !security::VerifyConsistency(saved->size, latest->head.size, saved->root,
                                                      latest->head.root, *proof)) {
        check.problems.push_back(fmt::format(
            "the ledger of {} entries does not extend the saved head of {}: an entry before {} "
            "was changed since",
            latest->head.size, saved->size, saved->size));
      } else {
        consistency = fmt::format(
            "consistent with the saved head of {} entries ({} hashes of "
            "proof)",
            saved->size, proof->size());
      }
    }
  }
  if (!check.ok()) *o.exit_code = 7;
  if (o.json) {
    nlohmann::ordered_json j = LedgerCheckJson(check);
    if (saved) j["saved_head_consistent"] = !consistency.empty();
    PrintJson(j);
    return Status::Ok();
  }
  if (check.ok()) {
    fmt::print(
        "The audit ledger is intact: {} entries, {} signed heads, every hash recomputed "
        "from the entries{}.\n",
        check.entries, check.heads, consistency.empty() ? "" : "; " + consistency);
    return Status::Ok();
  }
  fmt::print("The audit ledger was tampered with{}:\n",
             check.first_bad ? fmt::format(" (first bad entry: {})", *check.first_bad) : "");
  for (const std::string& p : check.problems)
    fmt::print("  {}\n", p);
  return Status::Ok();
}

Status RunProof(const AuditCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(security::SigningKey key, HubSigningKey(*hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(const nlohmann::ordered_json proof,
                      InclusionProofJson(session.audit(), o.seq, o.size, key.public_key()));
  if (!proof["verified"].get<bool>()) *o.exit_code = 7;
  if (o.json) {
    PrintJson(proof);
    return Status::Ok();
  }
  const nlohmann::ordered_json& head = proof["head"];
  fmt::print("entry {}: {}\nleaf hash {}\ninclusion path in the tree of {} entries:\n", o.seq,
             proof["entry"].get<std::string>(), proof["leaf_hash"].get<std::string>(),
             head["tree_size"].get<uint64_t>());
  for (const auto& h : proof["inclusion_path"])
    fmt::print("  {}\n", h.get<std::string>());
  fmt::print("root {} (signed {}): {}\n", head["root_hash"].get<std::string>(),
             head["time"].get<std::string>(),
             proof["verified"].get<bool>() ? "the proof verifies" : "THE PROOF FAILS");
  return Status::Ok();
}

// Everything an independent verifier needs, as JSON: the public key, every signed head, every
// entry's text.
Status RunExport(const AuditCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(security::SigningKey key, HubSigningKey(*hub));
  CatalogSession session = hub->OpenCatalog();
  AuditLedger& ledger = session.audit();
  FH_ASSIGN_OR_RETURN(std::vector<SignedTreeHead> heads, ledger.Heads());
  nlohmann::ordered_json out = {{"public_key", security::Hex(key.public_key())},
                                {"heads", nlohmann::ordered_json::array()},
                                {"entries", nlohmann::ordered_json::array()}};
  for (const SignedTreeHead& h : heads)
    out["heads"].push_back(SignedHeadJson(h, key.public_key()));
  FH_ASSIGN_OR_RETURN(const uint64_t size, ledger.Size());
  for (uint64_t seq = 0; seq < size; ++seq) {
    Result<std::string> text = ledger.EntryText(seq);
    out["entries"].push_back(text.ok() ? nlohmann::ordered_json(*text) : nullptr);
  }
  PrintJson(out);
  return Status::Ok();
}

}  // namespace

Command RegisterAudit(CLI::App& parent) {
  auto o = std::make_shared<AuditCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub =
      parent.add_subcommand("audit", "The tamper-evident audit ledger: who changed what, provably");
  sub->require_subcommand(1);

  CLI::App* list = sub->add_subcommand("list", "The ledger's entries, oldest first");
  AddHubOption(list, &o->hub);
  list->add_option("--from", o->from, "From this entry on (0)");
  list->add_option("--limit", o->limit, "At most this many (100)");
  AddJsonOption(list, &o->json);
  list->callback([which] { *which = "list"; });

  CLI::App* head = sub->add_subcommand("head", "The newest signed tree head, to keep");
  AddHubOption(head, &o->hub);
  AddJsonOption(head, &o->json);
  head->callback([which] { *which = "head"; });

  CLI::App* verify = sub->add_subcommand(
      "verify", "Recompute every hash and check every signed head (exit 7 when tampered)");
  AddHubOption(verify, &o->hub);
  verify->add_option("--head", o->head_file,
                     "A head saved earlier (audit head --json): prove the ledger extends it");
  AddJsonOption(verify, &o->json);
  verify->callback([which] { *which = "verify"; });

  CLI::App* proof = sub->add_subcommand("proof", "An entry's inclusion proof (RFC 9162)");
  AddHubOption(proof, &o->hub);
  proof->add_option("ENTRY", o->seq, "The entry's number (audit list)")->required();
  proof->add_option("--size", o->size, "In the signed tree of this many entries (the newest)");
  AddJsonOption(proof, &o->json);
  proof->callback([which] { *which = "proof"; });

  CLI::App* exp = sub->add_subcommand(
      "export", "The public key, signed heads and entries as JSON, for independent checks");
  AddHubOption(exp, &o->hub);
  exp->callback([which] { *which = "export"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub audit list --hub plant\n"
      "  factoryhub audit head --hub plant --json > head.json\n"
      "  factoryhub audit verify --hub plant --head head.json\n"
      "  factoryhub audit proof --hub plant 12");
  return {sub,
          [o, which]() -> Status {
            if (*which == "list") return RunList(*o);
            if (*which == "head") return RunHead(*o);
            if (*which == "verify") return RunVerify(*o);
            if (*which == "proof") return RunProof(*o);
            return RunExport(*o);
          },
          o->exit_code};
}

}  // namespace fh::cli
