// The audit ledger's heads and proofs as JSON, the same for `factoryhub audit` and
// `GET /api/v1/audit/...`: what an outside verifier reads (tests/security/ledger_verify.py).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "security/signing_key.h"
#include "store/audit/audit_ledger.h"

namespace fh {

// {tree_size, root_hash, timestamp, time, key_id, public_key, signature}: hex, ns.
nlohmann::ordered_json SignedHeadJson(const SignedTreeHead& head, const security::PublicKey& key);

// {seq, time, actor, action, subject, detail}
nlohmann::ordered_json AuditEntryJson(const security::AuditEntry& e);
// {ok, entries, signed_heads, first_bad_entry, problems}
nlohmann::ordered_json LedgerCheckJson(const LedgerCheck& check);

// The inclusion proof (RFC 9162 2.1.3) of entry `seq` in the newest signed tree that covers
// it, or in the one of `size` entries (size > 0), checked before it is given:
// {leaf_index, entry, leaf_hash, inclusion_path, head, verified}. NotFound when no signed
// head covers the entry.
Result<nlohmann::ordered_json> InclusionProofJson(AuditLedger& ledger, uint64_t seq, uint64_t size,
                                                  const security::PublicKey& key);

}  // namespace fh
