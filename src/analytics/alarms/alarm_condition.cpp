#include "analytics/alarms/alarm_condition.h"

#include <algorithm>
#include <cmath>

namespace fh::analytics::alarms {

AlarmCondition::AlarmCondition(const AlarmDefinition& definition) : d_(definition) {}

std::optional<bool> AlarmCondition::Raw(TimestampNs ts, double value) {
  if (std::isnan(value)) return std::nullopt;
  // Beyond the limit raises; only back inside by the deadband clears.
  auto beyond = [&](double magnitude) {
    return active_ ? magnitude >= d_.limit - d_.deadband : magnitude > d_.limit;
  };
  switch (d_.type) {
    case AlarmType::kHigh:
    case AlarmType::kModel:  // its score
      return beyond(value);
    case AlarmType::kLow:
      return active_ ? value <= d_.limit + d_.deadband : value < d_.limit;
    case AlarmType::kRateOfChange: {
      if (!has_last_) return std::nullopt;
      const double rate = (value - last_value_) / static_cast<double>(ts - last_ts_) *
                          static_cast<double>(d_.per_ns);
      return beyond(std::fabs(rate));
    }
    case AlarmType::kDeviation:
      if (!setpoint_) return std::nullopt;
      return beyond(std::fabs(value - *setpoint_));
    case AlarmType::kState:
      return std::find(d_.states.begin(), d_.states.end(), value) != d_.states.end();
    case AlarmType::kStale:  // a value arrived: not stale
      return false;
    case AlarmType::kSpc:  // judged by serve's SPC monitor, not from values
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ConditionChange> AlarmCondition::Follow(bool raw, TimestampNs ts, double value) {
  if (raw == active_) {  // what held holds: a running delay is cancelled
    pending_ = false;
    return std::nullopt;
  }
  if (!pending_) {
    pending_ = true;
    pending_since_ = ts;
    pending_value_ = value;
  }
  if ((active_ ? d_.off_delay_ns : d_.on_delay_ns) == 0) return Flip(ts);
  return Advance(ts);
}

std::optional<ConditionChange> AlarmCondition::Flip(TimestampNs at) {
  active_ = !active_;
  pending_ = false;
  return ConditionChange{active_, at, pending_value_};
}

std::optional<ConditionChange> AlarmCondition::Advance(TimestampNs now) {
  if (d_.type == AlarmType::kStale && has_last_ && !active_ && !pending_ &&
      now - last_ts_ > d_.after_ns) {
    pending_ = true;
    pending_since_ = last_ts_ + d_.after_ns;
    pending_value_ = last_value_;
  }
  if (!pending_) return std::nullopt;
  // What holds at `now` itself is not known yet (a value of that time decides it, as a
  // controller's scan does): a delay takes effect once it has elapsed before now.
  const int64_t delay = active_ ? d_.off_delay_ns : d_.on_delay_ns;
  if (now - pending_since_ <= delay) return std::nullopt;
  return Flip(pending_since_ + delay);
}

std::optional<ConditionChange> AlarmCondition::Add(TimestampNs ts, double value) {
  if (ts <= last_ts_) return std::nullopt;
  const std::optional<bool> raw = Raw(ts, value);
  if (!std::isnan(value)) {
    last_ts_ = ts;
    last_value_ = value;
    has_last_ = true;
  }
  if (!raw) return std::nullopt;
  return Follow(*raw, ts, value);
}

}  // namespace fh::analytics::alarms
