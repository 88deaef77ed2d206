#include "cli/demo_generator.h"

#include <chrono>

#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {

void LiveGenerator::Start(TimestampNs last_ts) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this, last_ts] { Run(last_ts); });
}

void LiveGenerator::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveGenerator::Run(TimestampNs last_ts) {
  bool reported = false;
  while (true) {
    const TimestampNs now = NowNs();
    // The next whole second; after a stall (a suspended laptop) skip ahead, don't catch up.
    TimestampNs next = (last_ts / kNanosPerSecond + 1) * kNanosPerSecond;
    if (next < now - 10 * kNanosPerSecond) next = now / kNanosPerSecond * kNanosPerSecond;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto deadline = std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::nanoseconds(next)));
      if (cv_.wait_until(lock, deadline, [this] { return stop_; })) return;
    }
    sim_.Step(next, NanosToSeconds(next - last_ts));
    Status s = sim_.Send();
    if (!s.ok() && !reported) {
      // Keep serving: the demo's history is still there. Say it once, not every second.
      PrintError("demo generator: " + s.message() + " (will keep trying)");
      reported = true;
    }
    last_ts = next;
  }
}

}  // namespace fh::cli
