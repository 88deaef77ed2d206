#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Encryption at rest (docs/security.md#encryption-at-rest): the data keys of protected
// fields, each only as wrapped by the master key (which is never in the database). One is
// active (new values); retired ones stay until no value uses them, then are dropped.
const Migration kMigration0023FieldKeys = {23, "field keys", R"sql(
CREATE TABLE field_key (
  id          INTEGER PRIMARY KEY,
  wrapped     BLOB NOT NULL CHECK (length(wrapped) = 72),
  created_at  INTEGER NOT NULL,
  retired_at  INTEGER
) STRICT;
)sql"};

}  // namespace fh::sqlite
