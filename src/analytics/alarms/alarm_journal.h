// An alarm journal: the events of alarms in time order (alarm_state.h), what a control
// system's alarm log holds and what the performance report (alarm_report.h) is computed
// from.
#pragma once

#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "analytics/alarms/alarm_config.h"
#include "analytics/alarms/alarm_state.h"
#include "common/status.h"
#include "store/models/alarm_journal_store.h"

namespace fh::analytics::alarms {

struct JournalEntry {
  std::string_view alarm;      // borrowed: the definition's name
  std::string_view equipment;  // and its equipment
  Priority priority = Priority::kMedium;
  AlarmEvent event{};
  double value = std::numeric_limits<double>::quiet_NaN();  // what raised or cleared it
};

// The stored journal's events as entries (borrowing their texts), for the report; an
// event the store holds with an unknown name is an error naming its id.
Result<std::vector<JournalEntry>> JournalOf(std::span<const StoredAlarmEvent> events);

}  // namespace fh::analytics::alarms
