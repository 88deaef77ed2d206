// The live half of `factoryhub demo`: a thread that writes one point per demo signal
// every second, on whole seconds of the wall clock, until stopped.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "cli/demo_plant.h"
#include "store/storage.h"

namespace fh::cli {

class LiveGenerator {
 public:
  // `storage` and `plant` must outlive the generator; the plant is used only by its thread
  // between Start() and Stop().
  LiveGenerator(Storage& storage, DemoPlant& plant) : storage_(storage), plant_(plant) {}
  ~LiveGenerator() { Stop(); }
  LiveGenerator(const LiveGenerator&) = delete;
  LiveGenerator& operator=(const LiveGenerator&) = delete;

  // Starts writing at the first whole second after `last_ts` (the newest stored point).
  void Start(TimestampNs last_ts);
  // Stops within a moment and joins the thread. Idempotent.
  void Stop();

 private:
  void Run(TimestampNs last_ts);

  Storage& storage_;
  DemoPlant& plant_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace fh::cli
