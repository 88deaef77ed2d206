#include "analytics/spc/run_rules.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace fh::analytics::spc {
namespace {

constexpr RunRule kNelson[] = {
    {1, "nelson-1", "one point beyond 3 sigma", 1},
    {2, "nelson-2", "nine points in a row on one side of the center line", 9},
    {3, "nelson-3", "six points in a row steadily increasing or decreasing", 6},
    {4, "nelson-4", "fourteen points in a row alternating up and down", 14},
    {5, "nelson-5", "two of three points in a row beyond 2 sigma on one side", 3},
    {6, "nelson-6", "four of five points in a row beyond 1 sigma on one side", 5},
    {7, "nelson-7", "fifteen points in a row within 1 sigma of the center line", 15},
    {8, "nelson-8", "eight points in a row beyond 1 sigma, on either side", 8},
};
constexpr RunRule kWesternElectric[] = {
    {1, "we-1", "one point beyond 3 sigma", 1},
    {2, "we-2", "two of three points in a row beyond 2 sigma on one side", 3},
    {3, "we-3", "four of five points in a row beyond 1 sigma on one side", 5},
    {4, "we-4", "eight points in a row on one side of the center line", 8},
};

// Does the window of `length` points ending at `end` (inclusive) complete the pattern? It
// returns the pattern's points (empty: no). The whole window is looked at again for every
// point: the plain statement of each rule, which the live RuleTracker is tested against.
using Match = std::function<std::vector<size_t>(const std::vector<double>& z, size_t end)>;

std::vector<size_t> Window(size_t end, size_t length) {
  std::vector<size_t> idx(length);
  std::iota(idx.begin(), idx.end(), end + 1 - length);
  return idx;
}

// `count` of the last `length` points beyond `sigmas` on one side, the last point among them.
Match CountBeyond(size_t count, size_t length, double sigmas) {
  return [count, length, sigmas](const std::vector<double>& z, size_t end) {
    for (int side : {1, -1}) {
      if (side * z[end] <= sigmas) continue;  // the pattern ends on one of its points
      std::vector<size_t> hits;
      for (size_t i : Window(end, length)) {
        if (side * z[i] > sigmas) hits.push_back(i);
      }
      if (hits.size() >= count) return hits;
    }
    return std::vector<size_t>{};
  };
}

Match Beyond3() {
  return [](const std::vector<double>& z, size_t end) {
    return std::abs(z[end]) > 3 ? std::vector<size_t>{end} : std::vector<size_t>{};
  };
}

Match SameSide(size_t length) {
  return [length](const std::vector<double>& z, size_t end) {
    const std::vector<size_t> w = Window(end, length);
    const bool above = std::all_of(w.begin(), w.end(), [&](size_t i) { return z[i] > 0; });
    const bool below = std::all_of(w.begin(), w.end(), [&](size_t i) { return z[i] < 0; });
    return above || below ? w : std::vector<size_t>{};
  };
}

Match Trend(size_t length) {
  return [length](const std::vector<double>& z, size_t end) {
    const std::vector<size_t> w = Window(end, length);
    bool up = true, down = true;
    for (size_t k = 1; k < w.size(); ++k) {
      up = up && z[w[k]] > z[w[k - 1]];
      down = down && z[w[k]] < z[w[k - 1]];
    }
    return up || down ? w : std::vector<size_t>{};
  };
}

Match Alternating(size_t length) {
  return [length](const std::vector<double>& z, size_t end) {
    const std::vector<size_t> w = Window(end, length);
    for (size_t k = 2; k < w.size(); ++k) {
      const double a = z[w[k - 1]] - z[w[k - 2]], b = z[w[k]] - z[w[k - 1]];
      if (!(a * b < 0)) return std::vector<size_t>{};
    }
    return w;
  };
}

// Every point of the window passes `test`.
template <typename Test>
Match All(size_t length, Test test) {
  return [length, test](const std::vector<double>& z, size_t end) {
    const std::vector<size_t> w = Window(end, length);
    return std::all_of(w.begin(), w.end(), [&](size_t i) { return test(z[i]); })
               ? w
               : std::vector<size_t>{};
  };
}

// The matchers, in the order of kNelson and kWesternElectric.
const std::vector<Match>& Matchers(RuleSet set) {
  static const std::vector<Match> nelson = {
      Beyond3(),
      SameSide(9),
      Trend(6),
      Alternating(14),
      CountBeyond(2, 3, 2),
      CountBeyond(4, 5, 1),
      All(15, [](double z) { return std::abs(z) < 1; }),
      All(8, [](double z) { return std::abs(z) > 1; }),
  };
  static const std::vector<Match> western_electric = {
      Beyond3(),
      CountBeyond(2, 3, 2),
      CountBeyond(4, 5, 1),
      SameSide(8),
  };
  return set == RuleSet::kNelson ? nelson : western_electric;
}

}  // namespace

std::span<const RunRule> RunRules(RuleSet set) {
  if (set == RuleSet::kNelson) return kNelson;
  return kWesternElectric;
}

std::vector<RuleViolation> CheckRules(std::span<const double> values, const ControlLimits& limits,
                                      RuleSet set, std::span<const int> enabled) {
  const double sigma = (limits.upper - limits.center) / 3;
  if (!(sigma > 0)) return {};
  std::vector<double> z(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    z[i] = (values[i] - limits.center) / sigma;
  return CheckRulesStandardized(z, set, enabled);
}

std::vector<RuleViolation> CheckRulesStandardized(std::span<const double> zs, RuleSet set,
                                                  std::span<const int> enabled) {
  std::vector<RuleViolation> out;
  const std::vector<double> z(zs.begin(), zs.end());
  const std::span<const RunRule> rules = RunRules(set);
  const std::vector<Match>& matchers = Matchers(set);
  for (size_t end = 0; end < z.size(); ++end) {
    for (size_t r = 0; r < rules.size(); ++r) {
      const RunRule& rule = rules[r];
      if (!enabled.empty() &&
          std::find(enabled.begin(), enabled.end(), rule.number) == enabled.end()) {
        continue;
      }
      if (end + 1 < rule.length) continue;
      std::vector<size_t> points = matchers[r](z, end);
      if (!points.empty()) out.push_back({rule.id, rule.what, end, std::move(points)});
    }
  }
  return out;
}

}  // namespace fh::analytics::spc
