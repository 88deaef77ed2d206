#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The audit ledger (docs/security.md): every state-changing action as an entry of an RFC 9162
// Merkle tree. An entry keeps the canonical JSON its leaf hash covers; audit_node keeps the
// hash of every complete subtree above the leaves (level >= 1), so that proofs and the root
// cost O(log n) reads; audit_head the tree heads the hub's Ed25519 key signed.
const Migration kMigration0022AuditLedger = {22, "audit ledger", R"sql(
CREATE TABLE audit_entry (
  seq        INTEGER PRIMARY KEY CHECK (seq >= 0),
  ts         INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  entry      TEXT NOT NULL,
  leaf_hash  BLOB NOT NULL CHECK (length(leaf_hash) = 32)
) STRICT;
CREATE INDEX audit_entry_by_time ON audit_entry(ts);

CREATE TABLE audit_node (
  level  INTEGER NOT NULL CHECK (level >= 1),
  idx    INTEGER NOT NULL CHECK (idx >= 0),
  hash   BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_head (
  size       INTEGER PRIMARY KEY CHECK (size > 0),
  root       BLOB NOT NULL CHECK (length(root) = 32),
  ts         INTEGER NOT NULL,
  key_id     TEXT NOT NULL,
  signature  BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;
)sql"};

}  // namespace fh::sqlite
