#include "analytics/alarms/alarm_state.h"

#include "common/enum_names.h"

namespace fh::analytics::alarms {
namespace {

constexpr EnumNames<AlarmStateName, 8> kStateNames = {
    {{AlarmStateName::kNormal, "normal"},
     {AlarmStateName::kUnacknowledged, "unacknowledged"},
     {AlarmStateName::kAcknowledged, "acknowledged"},
     {AlarmStateName::kReturnedUnacknowledged, "returned-unacknowledged"},
     {AlarmStateName::kLatched, "latched"},
     {AlarmStateName::kShelved, "shelved"},
     {AlarmStateName::kSuppressed, "suppressed"},
     {AlarmStateName::kOutOfService, "out-of-service"}}};

constexpr EnumNames<AlarmEventKind, 12> kEventNames = {
    {{AlarmEventKind::kActivated, "activated"},
     {AlarmEventKind::kCleared, "cleared"},
     {AlarmEventKind::kAcknowledged, "acknowledged"},
     {AlarmEventKind::kReset, "reset"},
     {AlarmEventKind::kShelved, "shelved"},
     {AlarmEventKind::kUnshelved, "unshelved"},
     {AlarmEventKind::kSuppressed, "suppressed"},
     {AlarmEventKind::kUnsuppressed, "unsuppressed"},
     {AlarmEventKind::kRemovedFromService, "removed-from-service"},
     {AlarmEventKind::kReturnedToService, "returned-to-service"},
     {AlarmEventKind::kReAlarmed, "re-alarmed"},
     {AlarmEventKind::kComment, "comment"}}};

constexpr EnumNames<Shelving, 3> kShelvingNames = {{{Shelving::kUnshelved, "unshelved"},
                                                    {Shelving::kTimed, "timed"},
                                                    {Shelving::kOneShot, "one-shot"}}};

}  // namespace

Result<AlarmEventKind> ParseAlarmEvent(std::string_view text) {
  return EnumParse(kEventNames, "alarm event", text);
}

Result<AlarmStateName> ParseAlarmState(std::string_view text) {
  return EnumParse(kStateNames, "alarm state", text);
}

std::string_view ShelvingText(Shelving s) {
  return EnumToString(kShelvingNames, s);
}

Result<Shelving> ParseShelving(std::string_view text) {
  return EnumParse(kShelvingNames, "shelving", text);
}

AlarmStateSnapshot AlarmState::Snapshot() const {
  return {active_,     acked_,          latched_,      shelving_, shelved_until_,
          suppressed_, out_of_service_, active_since_, acked_at_};
}

void AlarmState::Restore(const AlarmStateSnapshot& s) {
  active_ = s.active;
  acked_ = s.acknowledged;
  latched_ = s.latched;
  shelving_ = s.shelving;
  shelved_until_ = s.shelved_until;
  suppressed_ = s.suppressed;
  out_of_service_ = s.out_of_service;
  active_since_ = s.active_since;
  acked_at_ = s.acknowledged_at;
}

std::string_view AlarmStateText(AlarmStateName s) {
  return EnumToString(kStateNames, s);
}

std::string_view AlarmEventText(AlarmEventKind k) {
  return EnumToString(kEventNames, k);
}

AlarmStateName AlarmState::state() const {
  if (out_of_service_) return AlarmStateName::kOutOfService;
  if (shelving_ != Shelving::kUnshelved) return AlarmStateName::kShelved;
  if (suppressed_) return AlarmStateName::kSuppressed;
  if (active_) return acked_ ? AlarmStateName::kAcknowledged : AlarmStateName::kUnacknowledged;
  if (latched_) return AlarmStateName::kLatched;
  return acked_ ? AlarmStateName::kNormal : AlarmStateName::kReturnedUnacknowledged;
}

std::optional<AlarmEvent> AlarmState::Condition(bool active, TimestampNs ts) {
  if (active == active_) return std::nullopt;
  active_ = active;
  if (active) {
    active_since_ = ts;
    if (!Annunciating()) return Event(AlarmEventKind::kActivated, ts);
    acked_ = false;
    latched_ |= latching_;
    return Event(AlarmEventKind::kActivated, ts, true);
  }
  // A one-shot shelve lasts until the alarm clears, which takes it back to normal.
  if (shelving_ == Shelving::kOneShot) {
    shelving_ = Shelving::kUnshelved;
    if (Annunciating()) acked_ = true, latched_ = false;
  }
  return Event(AlarmEventKind::kCleared, ts);
}

AlarmEvent AlarmState::Returned(AlarmEventKind kind, TimestampNs ts) {
  // ISA-18.2: from shelved, suppressed or out of service an alarm goes to normal when its
  // condition is clear, and to unacknowledged when it is active.
  if (!Annunciating()) return Event(kind, ts);
  acked_ = !active_;
  latched_ = active_ && latching_;
  return Event(kind, ts, active_);
}

std::optional<AlarmEvent> AlarmState::Suppress(bool suppressed, TimestampNs ts) {
  if (suppressed == suppressed_) return std::nullopt;
  suppressed_ = suppressed;
  if (suppressed) return Event(AlarmEventKind::kSuppressed, ts);
  return Returned(AlarmEventKind::kUnsuppressed, ts);
}

std::optional<AlarmEvent> AlarmState::Tick(TimestampNs ts) {
  if (shelving_ == Shelving::kTimed && ts >= shelved_until_) {
    shelving_ = Shelving::kUnshelved;
    return Returned(AlarmEventKind::kUnshelved, shelved_until_);
  }
  if (re_alarm_ns_ > 0 && active_ && acked_ && Annunciating() && ts - acked_at_ >= re_alarm_ns_) {
    acked_ = false;
    return Event(AlarmEventKind::kReAlarmed, acked_at_ + re_alarm_ns_, true);
  }
  return std::nullopt;
}

Result<AlarmEvent> AlarmState::Acknowledge(TimestampNs ts) {
  if (out_of_service_) return FailedPrecondition("it is out of service");
  if (acked_)
    return FailedPrecondition("it is {}: nothing to acknowledge", AlarmStateText(state()));
  acked_ = true;
  acked_at_ = ts;
  return Event(AlarmEventKind::kAcknowledged, ts);
}

Result<AlarmEvent> AlarmState::Reset(TimestampNs ts) {
  if (!latched_) return FailedPrecondition("it is not latched: nothing to reset");
  if (active_) {
    return FailedPrecondition("it is still active: a latched alarm is reset once it has cleared");
  }
  latched_ = false;
  acked_ = true;  // a reset acknowledges
  return Event(AlarmEventKind::kReset, ts);
}

Result<AlarmEvent> AlarmState::Shelve(TimestampNs ts, std::optional<TimestampNs> until) {
  if (out_of_service_) return FailedPrecondition("it is out of service");
  if (until && *until <= ts) return FailedPrecondition("a shelve must end after it begins");
  if (!until && !active_) {
    return FailedPrecondition(
        "it is not active: a one-shot shelve lasts until the alarm clears (give a time)");
  }
  shelving_ = until ? Shelving::kTimed : Shelving::kOneShot;
  shelved_until_ = until.value_or(0);
  return Event(AlarmEventKind::kShelved, ts);
}

Result<AlarmEvent> AlarmState::Unshelve(TimestampNs ts) {
  if (shelving_ == Shelving::kUnshelved) return FailedPrecondition("it is not shelved");
  shelving_ = Shelving::kUnshelved;
  return Returned(AlarmEventKind::kUnshelved, ts);
}

Result<AlarmEvent> AlarmState::RemoveFromService(TimestampNs ts) {
  if (out_of_service_) return FailedPrecondition("it is out of service already");
  out_of_service_ = true;
  return Event(AlarmEventKind::kRemovedFromService, ts);
}

Result<AlarmEvent> AlarmState::ReturnToService(TimestampNs ts) {
  if (!out_of_service_) return FailedPrecondition("it is in service");
  out_of_service_ = false;
  return Returned(AlarmEventKind::kReturnedToService, ts);
}

}  // namespace fh::analytics::alarms
