#include "store/sqlite/db_backup.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace fh::sqlite {

Status BackupDatabase(const std::filesystem::path& source, const std::filesystem::path& dest) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_both = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  if (sqlite3_open_v2(source.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Status s = IOError("backup: cannot open {}: {}", source.string(), sqlite3_errmsg(src));
    close_both();
    return s;
  }
  sqlite3_busy_timeout(src, 10'000);
  if (sqlite3_open_v2(dest.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Status s = IOError("backup: cannot create {}: {}", dest.string(), sqlite3_errmsg(dst));
    close_both();
    return s;
  }
  sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
  if (backup == nullptr) {
    Status s = IOError("backup of {}: {}", source.string(), sqlite3_errmsg(dst));
    close_both();
    return s;
  }
  int rc;
  // All pages in one step: one read transaction, one consistent copy (a copy in several
  // steps starts over whenever another connection writes between them).
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  Status status;
  if (rc != SQLITE_DONE) {
    status = IOError("backup of {}: {}", source.string(), sqlite3_errstr(rc));
  } else {
    // The copy is a plain rollback-journal file, whole on disk before the backup is used.
    char* error = nullptr;
    sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &error);
    sqlite3_free(error);
  }
  close_both();
  return status;
}

}  // namespace fh::sqlite
