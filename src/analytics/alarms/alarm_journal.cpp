#include "analytics/alarms/alarm_journal.h"

namespace fh::analytics::alarms {

Result<std::vector<JournalEntry>> JournalOf(std::span<const StoredAlarmEvent> events) {
  std::vector<JournalEntry> out;
  out.reserve(events.size());
  for (const StoredAlarmEvent& e : events) {
    Result<Priority> priority = ParsePriority(e.priority);
    Result<AlarmEventKind> kind = ParseAlarmEvent(e.event);
    Result<AlarmStateName> state = ParseAlarmState(e.state);
    for (const Status& s : {priority.status(), kind.status(), state.status()}) {
      if (!s.ok()) return s.WithContext(fmt::format("alarm journal entry {}", e.id));
    }
    out.push_back({e.alarm,
                   e.equipment,
                   *priority,
                   {*kind, e.ts, *state, e.annunciated},
                   e.value.value_or(std::numeric_limits<double>::quiet_NaN())});
  }
  return out;
}

}  // namespace fh::analytics::alarms
