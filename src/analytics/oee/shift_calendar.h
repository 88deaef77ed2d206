// A site's shift calendar made concrete: the shifts (and their breaks) that fall in a time
// range, and the calendar periods (days, weeks, months) that cut it, all in the site's
// time zone so that a shift on the night clocks change lasts 7 or 9 hours, as worked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analytics/oee/oee_config.h"
#include "model/sample.h"

namespace fh::analytics::oee {

struct ShiftInstance {
  const ShiftSpec* spec = nullptr;
  int64_t local_day = 0;  // the local date it starts on, days since 1970-01-01
  TimestampNs start = 0;  // unclipped
  TimestampNs end = 0;
  std::string Label() const;  // "2026-03-02 early"
};

// A stretch of planned time: inside a shift, or one of its breaks.
struct PlanSpan {
  TimestampNs start = 0;
  TimestampNs end = 0;
  int32_t shift = 0;  // index into ShiftPlan::shifts
  bool is_break = false;
};

struct ShiftPlan {
  std::vector<ShiftInstance> shifts;  // by start
  std::vector<PlanSpan> spans;        // by start, disjoint, inside the range
};

// The shifts that overlap `range`. A shift that would overlap the one before it starts
// when that one ends (so no time is planned twice); shifts starting on a holiday are left
// out. No shifts configured: one "day" shift from midnight to midnight.
ShiftPlan ExpandShifts(const OeeSettings& settings, TimeRange range);

enum class Period { kWhole, kShift, kDay, kWeek, kMonth };

struct PeriodSlot {
  TimestampNs start = 0;  // clipped to the range
  TimestampNs end = 0;
  std::string label;  // "2026-03-02", "2026-W10", "2026-03"
};

// The calendar days, ISO weeks (Monday first) or months that cover `range`, cut at local
// midnight; `kWhole` is the range itself. Not for kShift (the shifts are the periods).
std::vector<PeriodSlot> CalendarPeriods(const OeeSettings& settings, TimeRange range, Period by);

// The local date (days since 1970-01-01) of an instant in the site's zone.
int64_t LocalDay(const OeeSettings& settings, TimestampNs ts);
// The instant of a local date and minute of the day (DST gaps read with the offset before).
TimestampNs LocalInstant(const OeeSettings& settings, int64_t local_day, int minute);

}  // namespace fh::analytics::oee
