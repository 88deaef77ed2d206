// GroupCommit: many writers, one commit. Each acknowledged write must be on disk, and an
// fsync costs the same for one request as for ten; writers that arrive while a commit is
// under way queue up, and the first of them commits the whole queue at once (the write
// queue of LevelDB and of every database's group commit). Under load a commit carries as
// many writes as there are writers waiting; alone, a write commits by itself, at once.
//
// The writer whose entry is at the front leads: it takes every entry queued, runs
// `commit` on them outside the queue's lock, hands each its status, and returns; the next
// front entry then leads the writes that arrived meanwhile. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

#include "common/status.h"

namespace fh::sqlite {

template <typename Entry>
class GroupCommit {
 public:
  // Blocks until `entry` is committed with others by `commit` (which gets the group in
  // arrival order, and must be the same function for every writer), and returns the status
  // of its group's commit.
  template <typename CommitFn>
  Status Submit(Entry* entry, CommitFn&& commit) {
    Waiter me{entry};
    std::unique_lock lock(mu_);
    queue_.push_back(&me);
    while (!me.done && queue_.front() != &me)
      changed_.wait(lock);
    if (me.done) return me.status;
    std::vector<Waiter*> group(queue_.begin(), queue_.end());
    lock.unlock();
    std::vector<Entry*> entries;
    entries.reserve(group.size());
    for (Waiter* w : group)
      entries.push_back(w->entry);
    const Status status = commit(std::span<Entry*>(entries));
    lock.lock();
    for (Waiter* w : group) {
      w->status = status;
      w->done = true;
      queue_.pop_front();
    }
    changed_.notify_all();
    return status;
  }

 private:
  struct Waiter {
    Entry* entry;
    Status status;
    bool done = false;
  };
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Waiter*> queue_;  // front: the group being committed, or the next leader
};

}  // namespace fh::sqlite
