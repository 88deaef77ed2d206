// Data shapes for the chunk codec tests: what sensors produce (regular timestamps, random
// walks printed with a few decimals) and what stresses the encoders (special doubles,
// extreme timestamps). Deterministic: every generator takes its seed.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fh::codec::testing {

inline double FromBits(uint64_t bits) {
  return std::bit_cast<double>(bits);
}

// What a parser returns for v printed with `decimals` decimals.
inline double Printed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return std::strtod(buf, nullptr);
}

inline std::vector<int64_t> RegularTs(size_t n, int64_t start = 1'700'000'000'000'000'000,
                                      int64_t step = 1'000'000'000) {
  std::vector<int64_t> ts(n);
  for (size_t i = 0; i < n; ++i)
    ts[i] = start + static_cast<int64_t>(i) * step;
  return ts;
}

// Strictly increasing with random gaps of 1 ns .. max_gap.
inline std::vector<int64_t> IrregularTs(size_t n, int64_t start, int64_t max_gap, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> gap(1, max_gap);
  std::vector<int64_t> ts(n);
  int64_t t = start;
  for (size_t i = 0; i < n; ++i) {
    ts[i] = t;
    t += gap(rng);
  }
  return ts;
}

// Random walk (step sd `step`) plus noise (sd `noise`), printed with `decimals` decimals.
inline std::vector<double> RandomWalk(size_t n, int decimals, uint64_t seed, double step = 0.05,
                                      double noise = 0.02, double start = 20.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step_d(0, step), noise_d(0, noise);
  std::vector<double> v(n);
  double level = start;
  for (size_t i = 0; i < n; ++i) {
    level += step_d(rng);
    v[i] = Printed(level + noise_d(rng), decimals);
  }
  return v;
}

inline std::vector<double> UniformDoubles(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  std::vector<double> v(n);
  for (auto& x : v)
    x = d(rng);
  return v;
}

// Any 64-bit pattern: NaNs of every kind, denormals, infinities included.
inline std::vector<double> RandomBitPatterns(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> v(n);
  for (auto& x : v)
    x = FromBits(rng());
  return v;
}

inline std::vector<double> Sine(size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = 50 + 10 * std::sin(static_cast<double>(i) / 100);
  return v;
}

// Bit-exact comparison of doubles (NaN payloads, -0.0).
inline void ExpectSameBits(std::span<const double> want, std::span<const double> got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint64_t>(want[i]), std::bit_cast<uint64_t>(got[i]))
        << "value " << i << ": want " << want[i] << " got " << got[i];
  }
}

}  // namespace fh::codec::testing
