#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// When a token was last used and a user last signed in (docs/security.md): what an admin
// needs to find credentials nobody uses any more, and to revoke them. Kept to the minute
// (access_store.h), so a busy writer does not turn every request into a catalog write.
const Migration kMigration0026LastUse = {26, "last_use", R"sql(
ALTER TABLE api_token ADD COLUMN last_used_at INTEGER;  -- null: never used
ALTER TABLE app_user ADD COLUMN last_seen_at INTEGER;   -- null: never signed in
)sql"};

}  // namespace fh::sqlite
