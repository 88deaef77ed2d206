#include "analytics/spc/control_limits.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analytics/spc/spc_constants.h"

namespace fh::analytics::spc {
namespace {

double Mean(std::span<const double> v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The one size of every subgroup, or an error naming the first that differs.
Result<int> CommonSize(Subgroups subgroups, int min_size, int max_size) {
  if (subgroups.size() < 2) {
    return InvalidArgument("control limits need at least 2 subgroups, got {}", subgroups.size());
  }
  const size_t n = subgroups[0].size();
  for (size_t i = 0; i < subgroups.size(); ++i) {
    if (subgroups[i].size() != n) {
      return InvalidArgument(
          "subgroup {} has {} values, subgroup 1 has {}: the sizes must be equal", i + 1,
          subgroups[i].size(), n);
    }
  }
  if (n < static_cast<size_t>(min_size) || n > static_cast<size_t>(max_size)) {
    return InvalidArgument("subgroups of {} values: this chart takes {} to {}", n, min_size,
                           max_size);
  }
  return static_cast<int>(n);
}

ControlLimits Around(double center, double half_width, bool floor_at_zero) {
  ControlLimits l{center, center - half_width, center + half_width};
  if (floor_at_zero) l.lower = std::max(0.0, l.lower);
  return l;
}

}  // namespace

std::vector<double> SubgroupMeans(Subgroups subgroups) {
  std::vector<double> out;
  out.reserve(subgroups.size());
  for (const std::vector<double>& g : subgroups)
    out.push_back(Mean(g));
  return out;
}

std::vector<double> SubgroupRanges(Subgroups subgroups) {
  std::vector<double> out;
  out.reserve(subgroups.size());
  for (const std::vector<double>& g : subgroups) {
    const auto [lo, hi] = std::minmax_element(g.begin(), g.end());
    out.push_back(g.empty() ? 0 : *hi - *lo);
  }
  return out;
}

std::vector<double> SubgroupSds(Subgroups subgroups) {
  std::vector<double> out;
  out.reserve(subgroups.size());
  for (const std::vector<double>& g : subgroups) {
    const double m = Mean(g);
    double ss = 0;
    for (double v : g)
      ss += (v - m) * (v - m);
    out.push_back(g.size() > 1 ? std::sqrt(ss / static_cast<double>(g.size() - 1)) : 0);
  }
  return out;
}

std::vector<double> MovingRanges(std::span<const double> values) {
  std::vector<double> out;
  for (size_t i = 1; i < values.size(); ++i)
    out.push_back(std::abs(values[i] - values[i - 1]));
  return out;
}

Result<VariablesLimits> XbarRLimits(Subgroups subgroups, double sigmas) {
  FH_ASSIGN_OR_RETURN(const int n, CommonSize(subgroups, 2, kMaxRangeSubgroup));
  const double grand = Mean(SubgroupMeans(subgroups));
  const double rbar = Mean(SubgroupRanges(subgroups));
  VariablesLimits out;
  out.subgroup_size = n;
  out.sigma_within = rbar / D2(n);
  out.location = Around(grand, sigmas * out.sigma_within / std::sqrt(n), false);
  out.spread = Around(rbar, sigmas * rbar * D3(n) / D2(n), true);
  return out;
}

Result<VariablesLimits> XbarSLimits(Subgroups subgroups, double sigmas) {
  FH_ASSIGN_OR_RETURN(const int n, CommonSize(subgroups, 2, 1 << 20));
  const double grand = Mean(SubgroupMeans(subgroups));
  const double sbar = Mean(SubgroupSds(subgroups));
  const double c4 = C4(n);
  VariablesLimits out;
  out.subgroup_size = n;
  out.sigma_within = sbar / c4;
  out.location = Around(grand, sigmas * out.sigma_within / std::sqrt(n), false);
  out.spread = Around(sbar, sigmas * sbar * std::sqrt(1 - c4 * c4) / c4, true);
  return out;
}

Result<VariablesLimits> IndividualsLimits(std::span<const double> values, double sigmas) {
  if (values.size() < 2) {
    return InvalidArgument("an individuals chart needs at least 2 values, got {}", values.size());
  }
  const double mrbar = Mean(MovingRanges(values));
  VariablesLimits out;
  out.subgroup_size = 1;
  out.sigma_within = mrbar / D2(2);
  out.location = Around(Mean(values), sigmas * out.sigma_within, false);
  out.spread = Around(mrbar, sigmas * mrbar * D3(2) / D2(2), true);
  return out;
}

namespace {

// How far outside its limits a value lies, in units of the distance from the center to the
// limit on its side (0 inside).
double Excess(double v, const ControlLimits& l) {
  if (v > l.upper && l.upper > l.center) return (v - l.upper) / (l.upper - l.center);
  if (v < l.lower && l.center > l.lower) return (l.lower - v) / (l.center - l.lower);
  return 0;
}

}  // namespace

Result<RevisedLimits> XbarRLimitsRevised(Subgroups subgroups, double sigmas, int max_rounds) {
  std::vector<size_t> kept(subgroups.size());
  std::iota(kept.begin(), kept.end(), 0);
  RevisedLimits out;
  for (int round = 0;; ++round) {
    std::vector<std::vector<double>> used;
    used.reserve(kept.size());
    for (size_t i : kept)
      used.push_back(subgroups[i]);
    FH_ASSIGN_OR_RETURN(out.limits, XbarRLimits(used, sigmas));
    if (round == max_rounds) break;
    // Only the worst subgroup goes each round: one far off widens or shifts the limits
    // enough to put sound subgroups outside them too, until it is gone.
    const std::vector<double> means = SubgroupMeans(used);
    const std::vector<double> ranges = SubgroupRanges(used);
    double worst = 0;
    size_t worst_at = 0;
    for (size_t k = 0; k < kept.size(); ++k) {
      const double e =
          std::max(Excess(means[k], out.limits.location), Excess(ranges[k], out.limits.spread));
      if (e > worst) {
        worst = e;
        worst_at = k;
      }
    }
    if (worst == 0) break;
    out.excluded.push_back(kept[worst_at]);
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(worst_at));
  }
  std::sort(out.excluded.begin(), out.excluded.end());
  return out;
}

Result<AttributeLimits> PLimits(std::span<const int64_t> defectives, std::span<const int64_t> sizes,
                                double sigmas) {
  if (defectives.size() != sizes.size() || defectives.empty()) {
    return InvalidArgument("a p chart needs one size per subgroup ({} counts, {} sizes)",
                           defectives.size(), sizes.size());
  }
  int64_t total_defective = 0, total = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] <= 0 || defectives[i] < 0 || defectives[i] > sizes[i]) {
      return InvalidArgument("subgroup {}: {} defective of {} inspected", i + 1, defectives[i],
                             sizes[i]);
    }
    total_defective += defectives[i];
    total += sizes[i];
  }
  AttributeLimits out;
  out.center = static_cast<double>(total_defective) / static_cast<double>(total);
  for (int64_t n : sizes) {
    ControlLimits l =
        Around(out.center,
               sigmas * std::sqrt(out.center * (1 - out.center) / static_cast<double>(n)), true);
    l.upper = std::min(1.0, l.upper);
    out.limits.push_back(l);
  }
  return out;
}

Result<AttributeLimits> NpLimits(std::span<const int64_t> defectives, int64_t size, double sigmas) {
  std::vector<int64_t> sizes(defectives.size(), size);
  FH_ASSIGN_OR_RETURN(AttributeLimits p, PLimits(defectives, sizes, sigmas));
  AttributeLimits out;
  const double n = static_cast<double>(size);
  out.center = n * p.center;
  const ControlLimits l = Around(out.center, sigmas * std::sqrt(out.center * (1 - p.center)), true);
  out.limits.assign(defectives.size(), l);
  return out;
}

Result<AttributeLimits> CLimits(std::span<const double> counts, double sigmas) {
  if (counts.empty()) return InvalidArgument("a c chart needs at least one count");
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < 0) return InvalidArgument("subgroup {}: a negative count {}", i + 1, counts[i]);
  }
  AttributeLimits out;
  out.center = Mean(counts);
  out.limits.assign(counts.size(), Around(out.center, sigmas * std::sqrt(out.center), true));
  return out;
}

Result<AttributeLimits> ULimits(std::span<const double> counts, std::span<const double> units,
                                double sigmas) {
  if (counts.size() != units.size() || counts.empty()) {
    return InvalidArgument("a u chart needs the units inspected per subgroup ({} counts, {} units)",
                           counts.size(), units.size());
  }
  double total = 0, total_units = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (units[i] <= 0 || counts[i] < 0) {
      return InvalidArgument("subgroup {}: {} nonconformities in {} units", i + 1, counts[i],
                             units[i]);
    }
    total += counts[i];
    total_units += units[i];
  }
  AttributeLimits out;
  out.center = total / total_units;
  for (double n : units)
    out.limits.push_back(Around(out.center, sigmas * std::sqrt(out.center / n), true));
  return out;
}

}  // namespace fh::analytics::spc
