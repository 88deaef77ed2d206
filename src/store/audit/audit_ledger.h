// AuditLedger: the hub's tamper-evident audit log (migration 0022, docs/security.md). Entries
// are appended, never changed, as leaves of an RFC 9162 Merkle tree (security/merkle.h); each
// append keeps the hashes of the subtrees it completed and a tree head signed with the hub's
// Ed25519 key (security/signing_key.h). Verify recomputes everything from the entries' text
// and names the first entry that does not match.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "security/audit_entry.h"
#include "security/merkle.h"
#include "security/signing_key.h"

namespace fh {

namespace sqlite {
class Db;
}
class Hub;

// What is recorded: who did what to what (security::AuditEntry without its place in the log).
struct AuditRecord {
  std::string actor, action, subject;
  nlohmann::json detail = nlohmann::json::object();
  int64_t ts = 0;  // ns since 1970; 0: when appended
};

struct SignedTreeHead {
  security::TreeHead head;
  std::string key_id;
  security::Signature signature{};
};

// What Verify found. `first_bad`: the first entry that is missing, changed, out of place or
// not covered by what was signed; none when the ledger is intact.
struct LedgerCheck {
  uint64_t entries = 0, heads = 0;
  std::optional<uint64_t> first_bad;
  std::vector<std::string> problems;  // each naming its entry or head
  bool ok() const { return problems.empty(); }
};

class AuditLedger {
 public:
  explicit AuditLedger(sqlite::Db& db) : db_(db) {}

  // Appends `records` in order, in one transaction, and signs the new head with `key`.
  Result<SignedTreeHead> Append(std::span<const AuditRecord> records,
                                const security::SigningKey& key);
  Result<uint64_t> Size();
  // Up to `limit` entries from `from` on, in order.
  Result<std::vector<security::AuditEntry>> Entries(uint64_t from, size_t limit);
  // The stored canonical text of entry `seq`.
  Result<std::string> EntryText(uint64_t seq);
  Result<std::optional<SignedTreeHead>> LatestHead();
  Result<std::vector<SignedTreeHead>> Heads();
  // The stored hashes, as the Merkle functions read them.
  security::PerfectHash Perfect();
  // Everything recomputed from the entries' text, checked against the stored hashes and every
  // signed head (with `key`).
  Result<LedgerCheck> Verify(const security::PublicKey& key);

 private:
  sqlite::Db& db_;
};

// The hub's signing key (keys/hub-signing.key in the hub folder, created on first use).
Result<security::SigningKey> HubSigningKey(const Hub& hub);
// Appends one record to `hub`'s ledger: what every state-changing command calls.
Status RecordAudit(Hub& hub, AuditRecord record);

}  // namespace fh
