// Inputs for the synthetic data sets of the model tests, reproducible from a seed.
#pragma once

#include "ml/split.h"

namespace fh::ml {

// Uniform in [-1, 1), on a grid of 2e-6.
inline double Uniform(SplitMix64& rng) {
  return static_cast<double>(rng.Below(1000000)) / 1e6 * 2 - 1;
}

}  // namespace fh::ml
