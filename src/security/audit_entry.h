// What the audit ledger records (docs/security.md): each state-changing action as an entry
// whose bytes are its canonical JSON — keys sorted, no spaces, UTF-8 — which is what the
// Merkle tree hashes (merkle.h), so that anyone can recompute a leaf from what `audit
// export` shows. A tree head (size, root, time) is signed over a fixed text that a verifier
// rebuilds without this code:
//
//   factoryhub-tree-head-v1\n<size>\n<root, 64 hex digits>\n<timestamp, ns since 1970>\n
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "security/merkle.h"

namespace fh::security {

struct AuditEntry {
  uint64_t seq = 0;     // its place in the log, from 0
  int64_t ts = 0;       // ns since 1970
  std::string actor;    // who: a user, "token:ID", "cli:<os user>", "server"
  std::string action;   // what: "user.add", "token.revoke", "import.batch", ...
  std::string subject;  // on what: the user, the token id, the batch, the model
  nlohmann::json detail = nlohmann::json::object();  // the rest, as a JSON object
};

// The entry's canonical JSON: the bytes its leaf hash covers.
std::string CanonicalEntry(const AuditEntry& e);
// The entry back from its canonical JSON; InvalidArgument naming what is wrong.
Result<AuditEntry> ParseCanonicalEntry(std::string_view text);

struct TreeHead {
  uint64_t size = 0;
  Hash root{};
  int64_t ts = 0;
};
// The text a tree head's signature covers (above).
std::string TreeHeadMessage(const TreeHead& head);

}  // namespace fh::security
