// The points the live benchmarks write (bench/lp_load.cpp, bench/ch_load.cpp): 1,000
// sensors, one point per sensor per second from 2026-01-01, a seeded random walk with two
// decimals; or, `stationary`, a process in control: 50 plus noise of σ 1 (the sum of three
// uniforms), what a characteristic's frozen limits judge day to day. The same seed gives
// the same points to every loader, so peers store the very same rows.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/splitmix.h"

namespace fh::bench {

using sim::SplitMix64;  // the simulator's: the same sequence everywhere

inline constexpr int kSensors = 1000;
inline constexpr int64_t kStartNs = 1767225600'000000000;  // 2026-01-01

// Calls point(n, sensor, ts_ns, value) for n = 0 .. points-1.
template <typename PointFn>
void GeneratePoints(int64_t points, uint64_t seed, bool stationary, PointFn&& point) {
  uint64_t state = seed;
  std::vector<double> level(kSensors);
  for (double& v : level)
    v = 20 + static_cast<double>(SplitMix64(state) % 6000) / 100;
  for (int64_t n = 0; n < points; ++n) {
    const int sensor = static_cast<int>(n % kSensors);
    double v;
    if (stationary) {
      double u = 0;
      for (int k = 0; k < 3; ++k)
        u += static_cast<double>(SplitMix64(state) % 1000001) / 1000000;
      v = 50 + (u - 1.5) * 2;  // σ = 2 √(3/12) = 1
    } else {
      level[sensor] += (static_cast<double>(SplitMix64(state) % 201) - 100) / 100;
      v = level[sensor];
    }
    point(n, sensor, kStartNs + (n / kSensors) * 1'000'000'000, v);
  }
}

}  // namespace fh::bench
