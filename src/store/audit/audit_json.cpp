#include "store/audit/audit_json.h"

#include "common/time.h"
#include "security/api_token.h"

namespace fh {

nlohmann::ordered_json SignedHeadJson(const SignedTreeHead& h, const security::PublicKey& key) {
  return {{"tree_size", h.head.size},
          {"root_hash", security::HashHex(h.head.root)},
          {"timestamp", h.head.ts},
          {"time", FormatRfc3339(h.head.ts)},
          {"key_id", h.key_id},
          {"public_key", security::Hex(key)},
          {"signature", security::Hex(h.signature)}};
}

Result<nlohmann::ordered_json> InclusionProofJson(AuditLedger& ledger, uint64_t seq, uint64_t size,
                                                  const security::PublicKey& key) {
  FH_ASSIGN_OR_RETURN(std::vector<SignedTreeHead> heads, ledger.Heads());
  const SignedTreeHead* head = nullptr;
  for (const SignedTreeHead& h : heads) {
    if (size != 0 ? h.head.size == size : h.head.size > seq) head = &h;
  }
  if (head == nullptr || head->head.size <= seq) {
    return NotFound("no signed head covers entry {}{}", seq,
                    size != 0 ? fmt::format(" with {} entries", size) : "");
  }
  FH_ASSIGN_OR_RETURN(std::string text, ledger.EntryText(seq));
  FH_ASSIGN_OR_RETURN(std::vector<security::Hash> proof,
                      security::InclusionProof(ledger.Perfect(), seq, head->head.size));
  const security::Hash leaf = security::LeafHash(text);
  nlohmann::ordered_json path = nlohmann::ordered_json::array();
  for (const security::Hash& h : proof)
    path.push_back(security::HashHex(h));
  return nlohmann::ordered_json{
      {"leaf_index", seq},
      {"entry", text},
      {"leaf_hash", security::HashHex(leaf)},
      {"inclusion_path", std::move(path)},
      {"head", SignedHeadJson(*head, key)},
      {"verified", security::VerifyInclusion(seq, head->head.size, leaf, proof, head->head.root)}};
}

nlohmann::ordered_json AuditEntryJson(const security::AuditEntry& e) {
  return {{"seq", e.seq},       {"time", FormatRfc3339(e.ts)}, {"actor", e.actor},
          {"action", e.action}, {"subject", e.subject},        {"detail", e.detail}};
}

nlohmann::ordered_json LedgerCheckJson(const LedgerCheck& check) {
  return {{"ok", check.ok()},
          {"entries", check.entries},
          {"signed_heads", check.heads},
          {"first_bad_entry", check.first_bad ? nlohmann::ordered_json(*check.first_bad) : nullptr},
          {"problems", check.problems}};
}

}  // namespace fh
