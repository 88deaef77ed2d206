// PeriodicThread: a background thread that runs a task every interval until stopped, and
// stops within a moment (not at the end of an interval). What the live scorer and the SPC
// monitor run on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace fh {

class PeriodicThread {
 public:
  PeriodicThread() = default;
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Runs `task` every `every`, the first time after one interval (`first_now`: at once).
  void Start(std::chrono::nanoseconds every, std::function<void()> task, bool first_now = false) {
    Stop();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = false;
    }
    thread_ = std::thread([this, every, first_now, task = std::move(task)] {
      std::unique_lock<std::mutex> lock(mu_);
      bool wait = !first_now;
      while (true) {
        if (wait && wake_.wait_for(lock, every, [this] { return stopping_; })) break;
        if (stopping_) break;
        wait = true;
        lock.unlock();
        task();
        lock.lock();
      }
    });
  }

  // Waits for a task running to finish; idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace fh
