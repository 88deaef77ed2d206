#include "api/open_event_streams.h"

#include <vector>

namespace fh::api::detail {

bool OpenEventStreams::Add(const void* stream, std::function<void()> end) {
  std::lock_guard<std::mutex> lock(mu_);
  // Kept even when ending, so that EndAll waits for this one's end too.
  open_[stream] = std::move(end);
  return !ending_;
}

void OpenEventStreams::Remove(const void* stream) {
  std::lock_guard<std::mutex> lock(mu_);
  if (open_.erase(stream) > 0) removed_.notify_all();
}

void OpenEventStreams::EndAll(std::chrono::milliseconds wait) {
  std::vector<std::function<void()>> ends;
  std::unique_lock<std::mutex> lock(mu_);
  ending_ = true;
  for (const auto& [stream, end] : open_)
    ends.push_back(end);
  lock.unlock();
  // Outside the lock: a stream may end, and Remove() itself, while being asked.
  for (const auto& end : ends)
    end();
  lock.lock();
  removed_.wait_for(lock, wait, [this] { return open_.empty(); });
}

}  // namespace fh::api::detail
