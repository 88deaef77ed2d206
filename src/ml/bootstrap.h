// How sure a score is: the percentile bootstrap of a metric over resamples of the rows
// scored, resampling whole units where rows belong to units (an engine's rows are not
// independent of each other), and the spread of a cross-validated metric across its folds.
// Pure computation.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace fh::ml {

struct BootstrapOptions {
  int resamples = 1000;
  uint64_t seed = 42;
  double level = 0.95;  // the interval's coverage
};

struct Interval {
  double low = 0, high = 0;  // NaN when no resample gave a number
};

// `metric` scores the rows it is given (indexes, repeats included) and returns `k` values;
// each is bootstrapped: `resamples` times, as many units as there are are drawn with
// replacement (SplitMix64 from `seed`) and all their rows scored; the interval is the
// (1 - level) / 2 and (1 + level) / 2 quantiles of the resampled values (linear
// interpolation, numpy's default), NaN values left out. `groups`: each row's unit; empty:
// every row its own.
std::vector<Interval> BootstrapIntervals(
    size_t rows, std::span<const std::string> groups, size_t k,
    const std::function<std::vector<double>(std::span<const size_t>)>& metric,
    const BootstrapOptions& options = {});

// The sample standard deviation (n - 1) of the values that are numbers; 0 for fewer than two.
double SampleStdDev(std::span<const double> values);

}  // namespace fh::ml
