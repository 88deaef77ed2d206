// One alarm's state, as ISA-18.2 / IEC 62682 define it (the alarm state transition
// diagram: A normal, B unacknowledged, C acknowledged, D returned to normal unacknowledged,
// E shelved, F suppressed by design, G out of service; plus latched), kept as the
// independent conditions OPC UA Part 9's AlarmConditionType has (ActiveState, AckedState,
// LatchedState, ShelvingState, SuppressedState, OutOfServiceState), from which the state
// an operator sees is derived.
//
// The process moves it (Condition: the alarm's condition, after its deadband and delays,
// became true or false), so do operators (Acknowledge, Shelve, Unshelve, Reset,
// RemoveFromService, ReturnToService; a Comment changes nothing) and design (Suppress),
// and time (Tick: a timed shelve expires; an alarm acknowledged and still active for its
// re-alarm time is annunciated again). Each call that changes something returns the event
// to journal. While shelved, suppressed or out of service the condition is still followed
// but not annunciated; when the alarm comes back, an active condition is annunciated anew
// (unacknowledged), as ISA-18.2 requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "model/sample.h"

namespace fh::analytics::alarms {

enum class AlarmStateName : uint8_t {
  kNormal,                  // A
  kUnacknowledged,          // B: active, not acknowledged
  kAcknowledged,            // C: active, acknowledged
  kReturnedUnacknowledged,  // D: no longer active, not acknowledged
  kLatched,                 // no longer active, waiting for a reset
  kShelved,                 // E
  kSuppressed,              // F: by design
  kOutOfService,            // G
};
std::string_view AlarmStateText(AlarmStateName s);  // "normal", "unacknowledged", ...

enum class AlarmEventKind : uint8_t {
  kActivated,
  kCleared,
  kAcknowledged,
  kReset,
  kShelved,
  kUnshelved,  // by an operator, a timed shelve's expiry or a one-shot's alarm clearing
  kSuppressed,
  kUnsuppressed,
  kRemovedFromService,
  kReturnedToService,
  kReAlarmed,
  kComment,
};
std::string_view AlarmEventText(AlarmEventKind k);  // "activated", "cleared", ...
Result<AlarmEventKind> ParseAlarmEvent(std::string_view text);
Result<AlarmStateName> ParseAlarmState(std::string_view text);

enum class Shelving : uint8_t { kUnshelved, kTimed, kOneShot };
std::string_view ShelvingText(Shelving s);  // "unshelved", "timed", "one-shot"
Result<Shelving> ParseShelving(std::string_view text);

// What an alarm's state is made of, to keep across a restart.
struct AlarmStateSnapshot {
  bool active = false, acknowledged = true, latched = false;
  Shelving shelving = Shelving::kUnshelved;
  TimestampNs shelved_until = 0;
  bool suppressed = false, out_of_service = false;
  TimestampNs active_since = 0, acknowledged_at = 0;
};

struct AlarmEvent {
  AlarmEventKind kind;
  TimestampNs ts;
  AlarmStateName state;  // after it
  bool annunciated;      // an activation or re-alarm the operator was shown
};

class AlarmState {
 public:
  explicit AlarmState(bool latching = false, int64_t re_alarm_ns = 0)
      : latching_(latching), re_alarm_ns_(re_alarm_ns) {}

  // The process. Nothing when the condition did not change.
  std::optional<AlarmEvent> Condition(bool active, TimestampNs ts);
  // Design suppression starts or ends. Nothing when unchanged.
  std::optional<AlarmEvent> Suppress(bool suppressed, TimestampNs ts);
  // Time passes: a timed shelve expires, a re-alarm falls due.
  std::optional<AlarmEvent> Tick(TimestampNs ts);

  // Operators. FailedPrecondition, saying why, when the action does not apply.
  Result<AlarmEvent> Acknowledge(TimestampNs ts);
  Result<AlarmEvent> Reset(TimestampNs ts);  // a latched alarm no longer active
  // Until `until` (timed), or, with nullopt, until the alarm next clears (one-shot).
  Result<AlarmEvent> Shelve(TimestampNs ts, std::optional<TimestampNs> until);
  Result<AlarmEvent> Unshelve(TimestampNs ts);
  Result<AlarmEvent> RemoveFromService(TimestampNs ts);
  Result<AlarmEvent> ReturnToService(TimestampNs ts);

  AlarmStateSnapshot Snapshot() const;
  void Restore(const AlarmStateSnapshot& s);

  AlarmStateName state() const;
  bool active() const { return active_; }
  bool acknowledged() const { return acked_; }
  bool latched() const { return latched_; }
  Shelving shelving() const { return shelving_; }
  TimestampNs shelved_until() const { return shelved_until_; }  // timed
  bool suppressed() const { return suppressed_; }
  bool out_of_service() const { return out_of_service_; }
  TimestampNs active_since() const { return active_since_; }  // when active

 private:
  bool Annunciating() const {
    return !out_of_service_ && shelving_ == Shelving::kUnshelved && !suppressed_;
  }
  // Back from shelving, suppression or out of service: an active condition is news.
  AlarmEvent Returned(AlarmEventKind kind, TimestampNs ts);
  AlarmEvent Event(AlarmEventKind kind, TimestampNs ts, bool annunciated = false) const {
    return {kind, ts, state(), annunciated};
  }

  bool latching_;
  int64_t re_alarm_ns_;
  bool active_ = false;
  bool acked_ = true;
  bool latched_ = false;
  Shelving shelving_ = Shelving::kUnshelved;
  TimestampNs shelved_until_ = 0;
  bool suppressed_ = false;
  bool out_of_service_ = false;
  TimestampNs active_since_ = 0;
  TimestampNs acked_at_ = 0;
};

}  // namespace fh::analytics::alarms
