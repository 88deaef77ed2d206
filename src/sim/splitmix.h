// The simulator's random numbers: splitmix64, tiny, fast and the same sequence on every
// platform, so that the same seed gives the same plant everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace fh::sim {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform in (0, 1): never 0, so that its logarithm is finite.
inline double OpenUniform(uint64_t& state) {
  return (static_cast<double>(SplitMix64(state) >> 11) + 0.5) * 0x1.0p-53;
}

// Standard normal (Box-Muller), from two draws.
inline double StandardNormal(uint64_t& state) {
  const double u = OpenUniform(state), v = OpenUniform(state);
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * 3.14159265358979323846 * v);
}

}  // namespace fh::sim
