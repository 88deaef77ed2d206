// Alarm journals and performance reports as `factoryhub alarms ... --json` and the API show
// them.
#pragma once

#include <functional>
#include <span>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/alarms/alarm_config.h"
#include "analytics/alarms/alarm_journal.h"
#include "analytics/alarms/alarm_monitor.h"
#include "analytics/alarms/alarm_report.h"
#include "store/models/alarm_journal_store.h"

namespace fh::analytics::alarms {

// {alarm, equipment, priority, event, ts, state, annunciated, value (null when none)}
nlohmann::ordered_json JournalEntryJson(const JournalEntry& e);
// As JournalEntryJson, with user and comment when there are.
nlohmann::ordered_json LiveAlarmEventJson(const LiveAlarmEvent& e);
nlohmann::ordered_json JournalJson(std::span<const JournalEntry> journal);
nlohmann::ordered_json AlarmReportJson(const AlarmReport& r);
// An alarm as the console lists it: its definition (null: no longer defined) and its state
// as the server last wrote it.
nlohmann::ordered_json AlarmStateJson(const AlarmDefinition* d, const StoredAlarmState& s);
// Each alarm of `config` with its stored state (normal when the server never wrote one), in
// the order of alarms.yaml.
std::vector<std::pair<const AlarmDefinition*, StoredAlarmState>> StatesOfDefinitions(
    const AlarmConfig& config, std::vector<StoredAlarmState> stored);
// null when there is no flood; else {since, first_out, first_out_at, peak, in_10_minutes}.
nlohmann::ordered_json FloodJson(const FloodView& f);
// The live view's states: {alarms: [AlarmStateJson with `chattering`], flood}; `wants` says
// which alarms.
nlohmann::ordered_json LiveStatesJson(const AlarmConfig& config, const LiveAlarmStates& live,
                                      const std::function<bool(const AlarmDefinition&)>& wants);
// A stored journal event: as JournalEntryJson, with its id, user and comment.
nlohmann::ordered_json StoredAlarmEventJson(const StoredAlarmEvent& e);

}  // namespace fh::analytics::alarms
