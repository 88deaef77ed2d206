#include "analytics/spc/live_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fh::analytics::spc {
namespace {

constexpr size_t kSpreadSlot = 8;

}  // namespace

LiveChart::LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled)
    : limits_(limits), rules_(set, enabled), rule_info_(RunRules(set)) {
  const bool individuals = limits.chart == "i-mr" || limits.limits.subgroup_size <= 1;
  location_chart_ = individuals ? "i" : "xbar";
  spread_chart_ = individuals ? "mr" : limits.chart == "xbar-s" ? "s" : "r";
  location_sigma_ = (limits.limits.location.upper - limits.limits.location.center) / 3;
  pending_.reserve(static_cast<size_t>(std::max(1, limits.limits.subgroup_size)));
}

bool LiveChart::Add(TimestampNs ts, double value) {
  if (ts <= last_ts_) {
    ++late_;
    return false;
  }
  last_ts_ = ts;
  if (pending_.empty()) pending_ts_ = ts;
  pending_.push_back(value);
  if (pending_.size() < static_cast<size_t>(std::max(1, limits_.limits.subgroup_size))) {
    return true;
  }
  JudgeSubgroup(pending_ts_, pending_);
  pending_.clear();
  return true;
}

bool LiveChart::AddSubgroup(TimestampNs ts, std::span<const double> values) {
  if (values.empty()) return false;
  if (ts <= last_ts_) {
    ++late_;
    return false;
  }
  last_ts_ = ts;
  JudgeSubgroup(ts, values);
  return true;
}

void LiveChart::JudgeSubgroup(TimestampNs ts, std::span<const double> values) {
  const size_t n = values.size();
  if (n == 1) {
    const double x = values[0];
    std::optional<double> mr;
    if (previous_) mr = std::abs(x - *previous_);
    previous_ = x;
    Judge(ts, x, mr);
    return;
  }
  double sum = 0, lo = values[0], hi = values[0];
  for (double v : values) {
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double mean = sum / static_cast<double>(n);
  double spread = hi - lo;
  if (spread_chart_ == "s") {
    double ss = 0;
    for (double v : values)
      ss += (v - mean) * (v - mean);
    spread = std::sqrt(ss / static_cast<double>(n - 1));
  }
  Judge(ts, mean, spread);
}

void LiveChart::Judge(TimestampNs ts, double location, std::optional<double> spread) {
  ++subgroups_;
  uint32_t fired = 0;
  if (location_sigma_ > 0) {  // limits of no width judge nothing
    fired = rules_.Push((location - limits_.limits.location.center) / location_sigma_);
    ts_ring_[(rules_.count() - 1) % RuleTracker::kWindow] = ts;
  }
  for (const RunRule& rule : rule_info_) {
    const bool on = fired & (1u << (rule.number - 1));
    const TimestampNs first =
        on ? ts_ring_[(rules_.count() - 1 - rules_.PatternStart(rule.number)) %
                      RuleTracker::kWindow]
           : ts;
    Mark(static_cast<size_t>(rule.number - 1), on, ts, first, location);
  }
  if (spread) {
    const bool out = !limits_.limits.spread.Contains(*spread);
    Mark(kSpreadSlot, out, ts, ts, *spread);
  }
}

void LiveChart::Mark(size_t slot, bool fired, TimestampNs ts, TimestampNs first_ts, double value) {
  LiveEpisode& e = episodes_[slot];
  if (!fired) {
    if (e.active) {  // it ended with the subgroup before
      e.active = false;
      dirty_ |= 1u << slot;
    }
    return;
  }
  if (e.active) {
    e.last_ts = ts;
    ++e.points;
    dirty_ |= 1u << slot;
    return;
  }
  // A new episode; one that ended but was not taken yet is kept for TakeChanged.
  if (dirty_ & (1u << slot)) ended_.push_back(e);
  const bool spread = slot == kSpreadSlot;
  e.chart = spread ? spread_chart_ : location_chart_;
  e.rule = spread ? std::string_view("beyond-limits") : rule_info_[slot].id;
  e.what =
      spread ? std::string_view("one point outside the control limits") : rule_info_[slot].what;
  e.first_ts = first_ts;
  e.ts = ts;
  e.last_ts = ts;
  e.points = 1;
  e.value = value;
  e.active = true;
  dirty_ |= 1u << slot;
  ++opened_;
}

}  // namespace fh::analytics::spc
