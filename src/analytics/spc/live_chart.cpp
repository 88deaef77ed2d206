#include "analytics/spc/live_chart.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace fh::analytics::spc {
namespace {

constexpr size_t kSpreadSlot = 8;

}  // namespace

LiveChart::LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled,
                     LiveGrouping grouping)
    : grouping_(grouping), rules_(set, enabled), limits_(limits), rule_info_(RunRules(set)) {
  const bool individuals = limits.chart == "i-mr" || limits.limits.subgroup_size <= 1;
  location_chart_ = individuals ? "i" : "xbar";
  spread_chart_ = individuals ? "mr" : limits.chart == "xbar-s" ? "s" : "r";
  center_ = limits.limits.location.center;
  location_sigma_ = (limits.limits.location.upper - limits.limits.location.center) / 3;
  spread_limits_ = limits.limits.spread;
  n_ = std::max(1, limits.limits.subgroup_size);
  pending_.reserve(static_cast<size_t>(n_));
  for (const RunRule& rule : rule_info_)
    ends_after_[static_cast<size_t>(rule.number - 1)] = static_cast<uint32_t>(rule.length);
  ends_after_[kSpreadSlot] = 1;
}

bool LiveChart::Add(TimestampNs ts, double value) {
  if (ts <= last_ts_) {
    ++late_;
    return false;
  }
  last_ts_ = ts;
  if (grouping_.every_ns > 0) return AddToBucket(ts, value);
  if (n_ == 1) {  // individuals: no subgroup to gather
    std::optional<double> mr;
    if (has_previous_) mr = std::abs(value - previous_);
    previous_ = value;
    has_previous_ = true;
    Judge(ts, value, mr);
    return true;
  }
  if (pending_.empty()) pending_ts_ = ts;
  pending_.push_back(value);
  if (pending_.size() < static_cast<size_t>(n_)) return true;
  JudgeSubgroup(pending_ts_, pending_);
  pending_.clear();
  return true;
}

bool LiveChart::AddToBucket(TimestampNs ts, double value) {
  const int64_t every = grouping_.every_ns;
  const int64_t bucket = ts / every - (ts % every < 0 ? 1 : 0);
  if (bucket != bucket_) {
    CloseBucket();
    bucket_ = bucket;
    pending_ts_ = ts;
  }
  if (bucket_judged_) return true;  // its first n are judged; the rest are not charted
  pending_.push_back(value);
  const size_t n = static_cast<size_t>(n_);
  if (grouping_.first_n && pending_.size() == n) {
    JudgeSubgroup(pending_ts_, pending_);
    pending_.clear();
    bucket_judged_ = true;
  }
  return true;
}

void LiveChart::CloseBucket() {
  const size_t n = static_cast<size_t>(n_);
  if (!grouping_.first_n && pending_.size() == n) {
    JudgeSubgroup(pending_ts_, pending_);
  } else if (!pending_.empty() || (bucket_ != INT64_MIN && !bucket_judged_)) {
    ++left_out_;
  }
  pending_.clear();
  bucket_judged_ = false;
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
    if (has_previous_) mr = std::abs(x - previous_);
    previous_ = x;
    has_previous_ = true;
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
    fired = rules_.Push((location - center_) / location_sigma_);
    ts_ring_[(rules_.count() - 1) % kTimes] = ts;
  }
  if (spread && !spread_limits_.Contains(*spread)) fired |= 1u << kSpreadSlot;
  // Only the slots that fired or have an episode open have anything to do: usually none.
  for (uint32_t touched = fired | open_; touched != 0; touched &= touched - 1) {
    const size_t slot = static_cast<size_t>(std::countr_zero(touched));
    if (fired & (1u << slot)) {
      Fired(slot, ts, slot == kSpreadSlot ? *spread : location);
    } else {
      Quiet(slot);
    }
  }
}

void LiveChart::Quiet(size_t slot) {
  if (++quiet_[slot] < ends_after_[slot]) return;
  episodes_[slot].active = false;
  open_ &= ~(1u << slot);
  dirty_ |= 1u << slot;
}

void LiveChart::Fired(size_t slot, TimestampNs ts, double value) {
  LiveEpisode& e = episodes_[slot];
  const uint32_t bit = 1u << slot;
  const bool untaken = dirty_ & bit;
  quiet_[slot] = 0;
  if (open_ & bit) {
    e.last_ts = ts;
    ++e.points;
    grown_ |= bit;
    return;
  }
  dirty_ |= bit;
  // A new episode; one that ended but was not taken yet is kept for TakeChanged.
  if (untaken) ended_.push_back(e);
  const bool spread = slot == kSpreadSlot;
  TimestampNs first_ts = ts;
  if (!spread) {
    const int number = static_cast<int>(slot) + 1;
    first_ts = ts_ring_[(rules_.count() - 1 - rules_.PatternStart(number)) % kTimes];
  }
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
  open_ |= bit;
  ++opened_;
}

}  // namespace fh::analytics::spc
