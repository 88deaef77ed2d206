#include "analytics/spc/live_chart.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace fh::analytics::spc {

LiveChart::LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled,
                     LiveGrouping grouping, LiveTimeWeighted time_weighted)
    : rules_(set, enabled), grouping_(grouping), limits_(limits), rule_info_(RunRules(set)) {
  attribute_ = ParseAttributeChart(limits.chart);
  const bool individuals = limits.chart == "i-mr" || limits.limits.subgroup_size <= 1;
  location_chart_ = individuals ? "i" : "xbar";
  spread_chart_ = individuals ? "mr" : limits.chart == "xbar-s" ? "s" : "r";
  if (attribute_) location_chart_ = spread_chart_ = AttributeChartName(*attribute_);
  center_ = limits.limits.location.center;
  location_sigma_ = (limits.limits.location.upper - limits.limits.location.center) / 3;
  spread_lower_ = limits.limits.spread.lower;
  spread_upper_ = limits.limits.spread.upper;
  n_ = std::max(1, limits.limits.subgroup_size);
  mode_ = attribute_              ? Mode::kAttribute
          : grouping.every_ns > 0 ? Mode::kByTime
          : n_ == 1               ? Mode::kIndividuals
                                  : Mode::kByCount;
  for (const RunRule& rule : rule_info_)
    ends_after_[static_cast<size_t>(rule.number - 1)] = static_cast<uint32_t>(rule.length);
  ends_after_[kSpreadSlot] = ends_after_[kEwmaSlot] = 1;
  ends_after_[kCusumUpSlot] = ends_after_[kCusumDownSlot] = 1;
  if (attribute_) {
    location_sigma_ = 0;  // no run rules: an attribute chart's limits vary with its subgroups
    return;
  }
  pending_.reserve(static_cast<size_t>(n_));
  // σ of one location, as a study's EWMA and CUSUM take it (time_weighted_study.cpp).
  const double sigma = limits.limits.sigma_within / std::sqrt(static_cast<double>(n_));
  if (!(sigma > 0) || !std::isfinite(sigma)) return;  // limits of no width: nothing to judge
  if (const std::optional<EwmaParameters>& e = time_weighted.ewma) {
    tw_.has_ewma = true;
    tw_.lambda = e->lambda;
    tw_.ewma_half = e->width * sigma * std::sqrt(e->lambda / (2 - e->lambda));
    tw_.z = center_;
  }
  if (const std::optional<CusumParameters>& c = time_weighted.cusum) {
    tw_.has_cusum = true;
    tw_.up = center_ + c->k * sigma;
    tw_.down = center_ - c->k * sigma;
    tw_.decision = c->h * sigma;
  }
  time_weighted_ = tw_.has_ewma || tw_.has_cusum;
}

bool LiveChart::Add(TimestampNs ts, double value) {
  if (mode_ == Mode::kAttribute) return false;  // counts, not values: AddCounts
  if (ts <= last_ts_) {
    ++late_;
    return false;
  }
  last_ts_ = ts;
  if (mode_ == Mode::kIndividuals) {  // no subgroup to gather
    JudgeIndividual(ts, value);
    return true;
  }
  if (mode_ == Mode::kByTime) return AddToBucket(ts, value);
  if (pending_.empty()) pending_ts_ = ts;
  pending_.push_back(value);
  if (pending_.size() < static_cast<size_t>(n_)) return true;
  JudgeSubgroup(pending_ts_, pending_);
  pending_.clear();
  return true;
}

void LiveChart::AddRun(std::span<const TimestampNs> ts, std::span<const double> values) {
  for (size_t i = 0; i < ts.size(); ++i)
    Add(ts[i], values[i]);
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

bool LiveChart::AddCounts(TimestampNs ts, int64_t inspected, int64_t failed) {
  if (!attribute_ || inspected <= 0) return false;
  if (ts <= last_ts_) {
    ++late_;
    return false;
  }
  last_ts_ = ts;
  const AttributeChart chart = *attribute_;
  if ((chart == AttributeChart::kNp || chart == AttributeChart::kC) && inspected != n_) {
    ++left_out_;
    return true;
  }
  ++subgroups_;
  const double d = static_cast<double>(failed), n = static_cast<double>(inspected);
  const double value = chart == AttributeChart::kP || chart == AttributeChart::kU ? d / n : d;
  const ControlLimits limits = AttributeLimitsAround(chart, center_, n);
  UpdateEpisodes(ts, limits.Contains(value) ? 0 : 1u << kSpreadSlot, value, value);
  return true;
}

bool LiveChart::AddSubgroup(TimestampNs ts, std::span<const double> values) {
  if (mode_ == Mode::kAttribute || values.empty()) return false;
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
  if (n == 1) return JudgeIndividual(ts, values[0]);
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
  Judge(ts, mean, spread, true);
}

void LiveChart::JudgeIndividual(TimestampNs ts, double value) {
  const double mr = std::abs(value - previous_);
  const bool has_mr = has_previous_;
  previous_ = value;
  has_previous_ = true;
  Judge(ts, value, mr, has_mr);
}

void LiveChart::Judge(TimestampNs ts, double location, double spread, bool has_spread) {
  ++subgroups_;
  uint32_t fired = 0;
  if (location_sigma_ > 0) {  // limits of no width judge nothing
    fired = rules_.Push((location - center_) / location_sigma_);
    ts_ring_[(rules_.count() - 1) % kTimes] = ts;
  }
  const bool spread_within = spread >= spread_lower_ && spread <= spread_upper_;
  fired |= static_cast<uint32_t>(has_spread & !spread_within) << kSpreadSlot;
  if (time_weighted_) fired |= JudgeTimeWeighted(ts, location);
  UpdateEpisodes(ts, fired, location, spread);
}

void LiveChart::UpdateEpisodes(TimestampNs ts, uint32_t fired, double location, double spread) {
  // Only the slots that fired or have an episode open have anything to do: usually none.
  for (uint32_t touched = fired | open_; touched != 0; touched &= touched - 1) {
    const size_t slot = static_cast<size_t>(std::countr_zero(touched));
    if (fired & (1u << slot)) {
      Fired(slot, ts, location, spread);
    } else {
      Quiet(slot);
    }
  }
}

// The same arithmetic, in the same order, as Ewma and Cusum (time_weighted.cpp): a live
// chart signals where a study of the same subgroups does.
uint32_t LiveChart::JudgeTimeWeighted(TimestampNs ts, double x) {
  TimeWeightedState& t = tw_;
  uint32_t fired = 0;
  if (t.has_ewma) {
    t.z = t.lambda * x + (1 - t.lambda) * t.z;
    t.decay *= (1 - t.lambda) * (1 - t.lambda);
    const double half = t.ewma_half * std::sqrt(1 - t.decay);
    const ControlLimits limits{center_, center_ - half, center_ + half};
    fired |= static_cast<uint32_t>(!limits.Contains(t.z)) << kEwmaSlot;
  }
  if (t.has_cusum) {
    const double upper = std::max(0.0, x - t.up + t.upper);
    const double lower = std::max(0.0, t.down - x + t.lower);
    if (upper > 0 && !(t.upper > 0)) t.upper_since = ts;
    if (lower > 0 && !(t.lower > 0)) t.lower_since = ts;
    t.upper = upper;
    t.lower = lower;
    fired |= static_cast<uint32_t>(upper > t.decision) << kCusumUpSlot;
    fired |= static_cast<uint32_t>(lower > t.decision) << kCusumDownSlot;
  }
  return fired;
}

void LiveChart::Quiet(size_t slot) {
  if (++quiet_[slot] < ends_after_[slot]) return;
  episodes_[slot].active = false;
  open_ &= ~(1u << slot);
  dirty_ |= 1u << slot;
}

void LiveChart::Fired(size_t slot, TimestampNs ts, double location, double spread) {
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
  e.first_ts = ts;
  e.value = location;
  switch (slot) {
    case kSpreadSlot:
      e.chart = spread_chart_;
      e.rule = "beyond-limits";
      e.what = "one point outside the control limits";
      e.value = spread;
      break;
    case kEwmaSlot:
      e.chart = "ewma";
      e.rule = "beyond-limits";
      e.what = "the EWMA outside its control limits: a small sustained shift";
      e.value = tw_.z;
      break;
    case kCusumUpSlot:
    case kCusumDownSlot: {
      const bool up = slot == kCusumUpSlot;
      e.chart = "cusum";
      e.rule = up ? "upper" : "lower";
      e.what = up ? "C+ above the decision interval: the mean shifted up"
                  : "C- above the decision interval: the mean shifted down";
      e.first_ts = up ? tw_.upper_since : tw_.lower_since;
      e.value = up ? tw_.upper : tw_.lower;
      break;
    }
    default: {  // a run rule
      const int number = static_cast<int>(slot) + 1;
      e.first_ts = ts_ring_[(rules_.count() - 1 - rules_.PatternStart(number)) % kTimes];
      e.chart = location_chart_;
      e.rule = rule_info_[slot].id;
      e.what = rule_info_[slot].what;
    }
  }
  e.ts = ts;
  e.last_ts = ts;
  e.points = 1;
  e.active = true;
  open_ |= bit;
  ++opened_;
}

}  // namespace fh::analytics::spc
