// An alarm's condition as its values arrive: whether the raw condition holds (above the
// limit, beyond the rate, off the set-point, one of the states, no value for too long),
// conditioned as ISA-18.2 recommends against chattering — a deadband (the value must come
// back inside the limit by the deadband to clear) and on and off delays (the raw condition
// must hold, or be gone, that long). A value holds until the next one (sample and hold), so
// an on-delay that elapses between two values takes effect when it elapses, at its exact
// time, not at the next value; a value that arrives just as it elapses decides, as a
// controller's scan would.
//
// Values must come in time order (a value not after the last is ignored); NaN says
// nothing (a bad reading neither raises nor clears). The alarm's state (alarm_state.h)
// consumes the changes.
#pragma once

#include <cstdint>
#include <optional>

#include "analytics/alarms/alarm_config.h"
#include "common/time.h"
#include "model/sample.h"

namespace fh::analytics::alarms {

struct ConditionChange {
  bool active;
  TimestampNs ts;
  double value;  // the value that raised or cleared it (what raised it for a delay)
};

class AlarmCondition {
 public:
  // `definition` must outlive the condition (it is kept by reference).
  explicit AlarmCondition(const AlarmDefinition& definition);
  explicit AlarmCondition(const AlarmDefinition&& definition) = delete;

  // The set-point's newest value (deviation alarms).
  void Setpoint(double value) { setpoint_ = value; }
  // The next value of the alarm's tag; a change when it raises or clears the alarm. A delay
  // that elapsed before `ts` is reported first: call Advance(ts) before, as Add does.
  std::optional<ConditionChange> Add(TimestampNs ts, double value);
  // Time passes to `now` without a value: an on- or off-delay that elapsed before then
  // takes effect, and a stale alarm's tag goes stale.
  std::optional<ConditionChange> Advance(TimestampNs now);

  bool active() const { return active_; }
  // Continues from a state kept across a restart: active or not, no delay running.
  void Restore(bool active) { active_ = active, pending_ = false; }
  // The tag's last value before a restart, judged already: what a stale check counts from.
  void Seed(TimestampNs ts, double value) { last_ts_ = ts, last_value_ = value, has_last_ = true; }

 private:
  // Whether the raw condition holds for `value` (given whether the alarm is active: the
  // deadband), or nullopt when it says nothing.
  std::optional<bool> Raw(TimestampNs ts, double value);
  std::optional<ConditionChange> Follow(bool raw, TimestampNs ts, double value);
  std::optional<ConditionChange> Flip(TimestampNs at);  // the pending change, at `at`

  const AlarmDefinition& d_;
  bool active_ = false;
  // The raw condition differs from active_ since pending_since_ (a delay running).
  bool pending_ = false;
  TimestampNs pending_since_ = 0;
  double pending_value_ = 0;
  TimestampNs last_ts_ = INT64_MIN;
  double last_value_ = 0;
  bool has_last_ = false;
  std::optional<double> setpoint_;
};

}  // namespace fh::analytics::alarms
