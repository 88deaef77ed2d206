// The alarm system's performance over a period, as EEMUA 191 and ISA-18.2 (clause 16) /
// ISA-TR18.2.5 measure it, from an alarm journal: the annunciated alarms (activations and
// re-alarms the operator was shown; not those shelved, suppressed or out of service) per
// operator per 10 minutes, per hour and per day; the share of 10-minute periods in flood
// (more than 10 alarms per operator) and the peak; the top bad actors and their share of
// all alarms; chattering alarms (3 or more activations within a minute), fleeting ones
// (cleared within a second) and stale ones (active for more than 24 hours); and the
// priority mix. Each threshold is an option, the defaults those of the standards.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "analytics/alarms/alarm_journal.h"
#include "model/sample.h"

namespace fh::analytics::alarms {

struct AlarmReportOptions {
  int operators = 1;  // consoles sharing the alarms
  int64_t period_ns = 10 * kNanosPerMinute;
  int64_t flood_above = 10;  // alarms per operator per period
  int64_t chatter_window_ns = kNanosPerMinute;
  int64_t chatter_count = 3;              // activations within the window
  int64_t fleeting_ns = kNanosPerSecond;  // cleared sooner than this
  int64_t stale_ns = kNanosPerDay;        // active longer than this
  size_t top = 10;
};

struct AlarmCount {
  std::string alarm;
  int64_t count = 0;
  double share = 0;  // of all annunciated alarms
};

struct AlarmReport {
  TimeRange range;
  int operators = 1;
  int64_t annunciated = 0;
  double per_operator_per_10_minutes = 0;  // the average
  double per_operator_per_hour = 0;
  double per_operator_per_day = 0;
  int64_t periods = 0;
  int64_t periods_in_flood = 0;
  double flood_percent = 0;
  double peak_in_period = 0;           // per operator
  TimestampNs peak_at = 0;             // the start of that period
  std::vector<AlarmCount> bad_actors;  // the top, most first
  double bad_actors_share = 0;
  std::vector<AlarmCount> chattering;    // their annunciations
  int64_t fleeting = 0;                  // activations cleared sooner than fleeting_ns
  std::vector<std::string> stale;        // active longer than stale_ns (within the range)
  std::array<int64_t, 4> by_priority{};  // annunciated, by Priority
  int64_t suppressed_activations = 0;    // raised while shelved, suppressed or out of service
};

// `journal` in time order.
AlarmReport ReportAlarms(std::span<const JournalEntry> journal, TimeRange range,
                         const AlarmReportOptions& options = {});

}  // namespace fh::analytics::alarms
