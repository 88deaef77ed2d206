#include "store/bulk_write_scope.h"

#include <fmt/format.h>

#include "store/sqlite/db.h"

namespace fh {

BulkWriteScope::BulkWriteScope(sqlite::Db& db) : db_(db) {
  if (Result<sqlite::Stmt> st = db_.Prepare("PRAGMA cache_size"); st.ok()) {
    if (Result<bool> row = st->Step(); row.ok() && *row) previous_ = st->Int(0);
  }
  (void)db_.Exec(fmt::format("PRAGMA cache_size=-{}", kKib));  // slower if it fails, not wrong
  (void)db_.Exec("PRAGMA foreign_keys=OFF");  // only outside a transaction, hence here
}

Status BulkWriteScope::Restore() {
  if (restored_) return Status::Ok();
  restored_ = true;
  (void)db_.Exec(fmt::format("PRAGMA cache_size={}", previous_));  // only speed is at stake
  return db_.Exec("PRAGMA foreign_keys=ON");
}

}  // namespace fh
