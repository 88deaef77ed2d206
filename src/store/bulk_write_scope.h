// BulkWriteScope: the relational store's settings for one large write (an entity import),
// restored when it ends.
//
// An entity import inserts into indexes all over a table (a work order's material, its
// equipment): once they outgrow SQLite's default cache of 2 MB, nearly every record reads
// its index pages back from the WAL. So a larger cache; a bound, so memory stays flat
// whatever the file's size. And no foreign-key checks: every id an import writes into a
// foreign-key column was just looked up by RefResolver (or created) in the same
// transaction, and nothing deletes rows, so SQLite's own check would repeat each lookup
// (about a fifth of a large import's time). Begin it outside a unit of work.
#pragma once

#include <cstdint>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

class BulkWriteScope {
 public:
  explicit BulkWriteScope(sqlite::Db& db);
  BulkWriteScope(const BulkWriteScope&) = delete;
  BulkWriteScope& operator=(const BulkWriteScope&) = delete;
  ~BulkWriteScope() { (void)Restore(); }  // early returns: best effort, nothing to report to

  // Puts the connection's settings back. The foreign-key setting matters beyond this write
  // (the server shares the connection), so its failure is reported.
  Status Restore();

 private:
  static constexpr int64_t kKib = 64 * 1024;
  sqlite::Db& db_;
  int64_t previous_ = -2000;  // SQLite's default: 2000 KiB
  bool restored_ = false;
};

}  // namespace fh
