#include "store/sqlite_storage/read_pool.h"

namespace fh::sqlite {

// Idle connections kept beyond this are closed: enough for the server's worker threads.
constexpr size_t kMaxIdle = 16;

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Db> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::OpenReadOnly(path_));
  return Lease(this, std::move(db));
}

ReaderGate::Pass ReaderGate::Enter() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !closed_; });
  ++active_;
  return Pass(this);
}

void ReaderGate::Leave() {
  std::lock_guard lock(mu_);
  if (--active_ == 0) cv_.notify_all();
}

bool ReaderGate::Close(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  closed_ = true;
  return cv_.wait_for(lock, wait, [this] { return active_ == 0; });
}

void ReaderGate::Open() {
  std::lock_guard lock(mu_);
  closed_ = false;
  cv_.notify_all();
}

void ReadPool::Return(std::unique_ptr<Db> db) {
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(db));
}

}  // namespace fh::sqlite
