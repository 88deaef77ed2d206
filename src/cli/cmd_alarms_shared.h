// What `factoryhub alarms` and its subcommands share (cmd_alarms.cpp, cmd_alarm_states.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "analytics/alarms/alarm_report.h"
#include "common/status.h"
#include "model/sample.h"

namespace fh::cli {

// The report, each figure beside what ISA-18.2 (table 5) calls acceptable.
void PrintAlarmReport(const analytics::alarms::AlarmReport& r);
// --from / --to of a report: by default the day before now, in whole seconds.
Result<TimeRange> DefaultedRange(const std::string& from, const std::string& to);
// list, journal, report and the operators' actions, under `alarms`.
void AddAlarmStateCommands(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen);

}  // namespace fh::cli
