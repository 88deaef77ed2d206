// A pool of read-only SQLite connections, so concurrent readers never wait on each other
// or on the writer (WAL gives each its own snapshot).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "store/sqlite/db.h"

namespace fh::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::filesystem::path path) : path_(std::move(path)) {}

  // A connection on loan; it returns to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (db_) pool_->Return(std::move(db_));
    }
    Db& db() { return *db_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Db> db_;
  };

  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<Db> db);

  const std::filesystem::path path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_;  // guarded by mu_
};

}  // namespace fh::sqlite
