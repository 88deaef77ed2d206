// The live half of `factoryhub demo`: a thread that steps the plant simulation every
// second, on whole seconds of the wall clock, until stopped.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "sim/plant_simulation.h"

namespace fh::cli {

class LiveGenerator {
 public:
  // `sim` must outlive the generator; it is used only by its thread between Start() and
  // Stop().
  explicit LiveGenerator(sim::PlantSimulation& sim) : sim_(sim) {}
  ~LiveGenerator() { Stop(); }
  LiveGenerator(const LiveGenerator&) = delete;
  LiveGenerator& operator=(const LiveGenerator&) = delete;

  // Starts writing at the first whole second after `last_ts` (the newest stored point).
  void Start(TimestampNs last_ts);
  // Stops within a moment and joins the thread. Idempotent.
  void Stop();

 private:
  void Run(TimestampNs last_ts);

  sim::PlantSimulation& sim_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace fh::cli
