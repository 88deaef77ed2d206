#include "ml/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "ml/split.h"

namespace fh::ml {
namespace bootstrap_detail {

// numpy's default quantile of sorted values: linear between the closest ranks.
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(at));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (at - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace bootstrap_detail

std::vector<Interval> BootstrapIntervals(
    size_t rows, std::span<const std::string> groups, size_t k,
    const std::function<std::vector<double>(std::span<const size_t>)>& metric,
    const BootstrapOptions& options) {
  // The units, each with its rows, in the order they first appear.
  std::vector<std::vector<size_t>> units;
  if (groups.empty()) {
    for (size_t i = 0; i < rows; ++i)
      units.push_back({i});
  } else {
    std::map<std::string_view, size_t> index;
    for (size_t i = 0; i < rows; ++i) {
      const auto [it, added] = index.emplace(groups[i], units.size());
      if (added) units.emplace_back();
      units[it->second].push_back(i);
    }
  }
  std::vector<std::vector<double>> values(k);
  SplitMix64 rng(options.seed);
  std::vector<size_t> sample;
  for (int r = 0; r < options.resamples && !units.empty(); ++r) {
    sample.clear();
    for (size_t u = 0; u < units.size(); ++u) {
      const std::vector<size_t>& drawn = units[rng.Below(units.size())];
      sample.insert(sample.end(), drawn.begin(), drawn.end());
    }
    const std::vector<double> v = metric(sample);
    for (size_t j = 0; j < k && j < v.size(); ++j) {
      if (!std::isnan(v[j])) values[j].push_back(v[j]);
    }
  }
  std::vector<Interval> out(k);
  const double tail = (1 - options.level) / 2;
  for (size_t j = 0; j < k; ++j) {
    std::sort(values[j].begin(), values[j].end());
    out[j] = {bootstrap_detail::Quantile(values[j], tail),
              bootstrap_detail::Quantile(values[j], 1 - tail)};
  }
  return out;
}

double SampleStdDev(std::span<const double> values) {
  double n = 0, sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    n += 1;
    sum += v;
  }
  if (n < 2) return 0;
  const double mean = sum / n;
  double ss = 0;
  for (double v : values) {
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  }
  return std::sqrt(ss / (n - 1));
}

}  // namespace fh::ml
