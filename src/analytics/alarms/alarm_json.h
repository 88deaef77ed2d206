// Alarm journals and performance reports as `factoryhub alarms ... --json` and the API show
// them.
#pragma once

#include <span>

#include <nlohmann/json.hpp>

#include "analytics/alarms/alarm_journal.h"
#include "analytics/alarms/alarm_report.h"

namespace fh::analytics::alarms {

// {alarm, equipment, priority, event, ts, state, annunciated, value (null when none)}
nlohmann::ordered_json JournalEntryJson(const JournalEntry& e);
nlohmann::ordered_json JournalJson(std::span<const JournalEntry> journal);
nlohmann::ordered_json AlarmReportJson(const AlarmReport& r);

}  // namespace fh::analytics::alarms
