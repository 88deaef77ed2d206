// OEE of one piece of equipment: its recorded states and work orders laid over the shift
// calendar and cut into periods, giving the time model's sums per period (oee_totals.h)
// and the stop time per reason. Pure computation over plain inputs; oee_report.h reads
// them from a hub.
//
// How the inputs are read:
//  - States are [start, end) spans; an open one lasts until `as_of`. Where two overlap,
//    the later-starting one wins and the overlap is reported (overlap_ns, a warning);
//    shift time with no state is "unknown", which is not "not scheduled".
//  - A stop is a micro-stop when its whole duration (not the part inside the window) is
//    shorter than the threshold; a stop of exactly the threshold is not one.
//  - A work order's good, scrap and rework counts are spread over the equipment's running time
//    between its actual start and end (or evenly over that span when nothing ran), so
//    every period gets its share and the shares add up to the order.
// Every piece of time lands in exactly one bucket of exactly one period: cutting a window
// anywhere and adding the parts gives the whole (tests/analytics/oee_partition_test.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analytics/oee/oee_config.h"
#include "analytics/oee/oee_totals.h"
#include "analytics/oee/shift_calendar.h"
#include "model/equipment_state.h"

namespace fh::analytics::oee {

struct OeeOrder {
  std::string number;
  double good = 0;
  double scrap = 0;
  double rework = 0;
  std::optional<double> cycle_time_s;  // the order's own, else the site's rule
  std::optional<TimestampNs> start;    // actual
  std::optional<TimestampNs> end;      // actual; open until as_of
};

struct OeeUnitInput {
  std::string path;
  std::vector<StateSpan> states;  // by start, covering the window and the orders' spans
  std::vector<OeeOrder> orders;
};

// Where stop time went.
enum class LossKind { kPlannedStop, kSetup, kDelay, kDown, kMicroStop, kUnknown };
std::string_view ToString(LossKind k);

struct LossKey {
  LossKind kind = LossKind::kUnknown;
  std::optional<int64_t> reason_id;
  auto operator<=>(const LossKey&) const = default;
};
struct LossTime {
  int64_t ns = 0;
  int64_t stops = 0;  // stops that began in the planned busy time of the window
};
using LossMap = std::map<LossKey, LossTime>;

struct OeePeriod {
  std::string label;
  TimestampNs start = 0;
  TimestampNs end = 0;
  OeeTotals totals;
};

struct OeeUnitResult {
  std::vector<OeePeriod> periods;  // by start; only shifts that overlap the window for kShift
  OeeTotals whole;                 // the window
  LossMap losses;
  std::vector<std::string> warnings;
};

// The shifts and periods of a window, the same for every unit of a site: made once.
struct OeeCalendar {
  TimeRange window;
  Period by = Period::kWhole;
  ShiftPlan plan;
  std::vector<OeePeriod> periods;  // with empty totals
};
OeeCalendar MakeOeeCalendar(const OeeSettings& settings, TimeRange window, Period by);

OeeUnitResult ComputeUnitOee(const OeeUnitInput& unit, const OeeSettings& settings,
                             const OeeCalendar& calendar, TimestampNs as_of);
// The same, making the calendar.
OeeUnitResult ComputeUnitOee(const OeeUnitInput& unit, const OeeSettings& settings,
                             TimeRange window, Period by, TimestampNs as_of);

}  // namespace fh::analytics::oee
