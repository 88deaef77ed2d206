// A pool of read-only SQLite connections, so concurrent readers never wait on each other
// or on the writer (WAL gives each its own snapshot).
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "store/sqlite/db.h"

namespace fh::sqlite {

// Lets the writer empty the WAL while reads keep coming: a read holds a Pass for as long as
// its snapshot lives, and Close() stops new reads from starting (they wait) until every
// current one has finished or the time is up. SQLite can truncate the WAL only in such a
// moment, when no reader is on it; a server's back-to-back reads would otherwise never
// leave one. Thread-safe.
class ReaderGate {
 public:
  class Pass {
   public:
    explicit Pass(ReaderGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_) gate_->Leave();
    }

   private:
    ReaderGate* gate_;
  };

  Pass Enter();
  // Closes the gate and waits up to `wait` for the reads in progress; returns whether none
  // is left. Open() must follow.
  bool Close(std::chrono::milliseconds wait);
  void Open();

 private:
  void Leave();
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;       // guarded by mu_
  bool closed_ = false;  // guarded by mu_
};

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
