#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Who may use the hub (docs/security.md): people with a role, an ISA-95 scope and an
// Argon2id password hash; API tokens, kept only as their SHA-256, each with its own role
// and scope (no more than its user's), an expiry, and revocation kept as history.
const Migration kMigration0021Access = {21, "access", R"sql(
CREATE TABLE app_user (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  role           TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer', 'admin')),
  scope          TEXT NOT NULL DEFAULT '',
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
  display      TEXT NOT NULL,
  user_id      INTEGER REFERENCES app_user(id),
  description  TEXT NOT NULL DEFAULT '',
  role         TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer', 'admin')),
  scope        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,               -- null: never
  revoked_at   INTEGER                -- null: valid
) STRICT;
)sql"};

}  // namespace fh::sqlite
