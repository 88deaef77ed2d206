// The ISO 22400-2 time model of one piece of equipment (or a roll-up of many) over one
// period, as sums: times in nanoseconds, quantities in units. Roll-ups add these sums and
// only then divide, so a line's availability is its machines' production time over their
// planned busy time, never an average of their ratios.
//
//   calendar time = not scheduled + planned operation time (POT, the shifts)
//   POT  = planned down time (PDOT: breaks, planned stops) + planned busy time (PBT)
//   PBT  = production (APT) + setup (AUST) + delay (ADET) + down (ADOT) + micro-stops
//          + unknown (in a shift with no state recorded)
// Micro-stops count as delay, or as production time when they are a performance loss.
#pragma once

#include <cstdint>
#include <optional>

#include "analytics/oee/oee_config.h"

namespace fh::analytics::oee {

struct OeeTotals {
  int64_t calendar_ns = 0;
  int64_t not_scheduled_ns = 0;
  int64_t break_ns = 0;
  int64_t planned_stop_ns = 0;
  int64_t production_ns = 0;
  int64_t setup_ns = 0;
  int64_t delay_ns = 0;  // not counting micro-stops
  int64_t down_ns = 0;   // not counting micro-stops
  int64_t micro_stop_ns = 0;
  int64_t unknown_ns = 0;
  int64_t unscheduled_run_ns = 0;  // running outside the shifts (not in OEE)
  int64_t overlap_ns = 0;          // recorded states that overlapped another (cut)

  double produced = 0;  // good + scrap + rework, in the planned busy time
  double good = 0;
  double scrap = 0;
  double rework = 0;
  double ideal_s = 0;           // ideal seconds of what was produced
  double ideal_not_good_s = 0;  // of the scrap and rework
  double produced_without_cycle_time = 0;
  double unscheduled_produced = 0;  // made outside the shifts

  int64_t failures = 0;  // failure stops that began in the planned busy time
  int64_t failure_ns = 0;
  int64_t micro_stops = 0;

  OeeTotals& operator+=(const OeeTotals& o);

  int64_t PlannedOperationNs() const { return calendar_ns - not_scheduled_ns; }
  int64_t PlannedDownNs() const { return break_ns + planned_stop_ns; }
  int64_t PlannedBusyNs() const { return PlannedOperationNs() - PlannedDownNs(); }
};

// The KPIs of a total; a ratio whose denominator is zero is empty.
struct OeeKpis {
  int64_t apt_ns = 0;                  // actual production time, micro-stops included when they are
  int64_t adet_ns = 0;                 // a performance loss, in the delay otherwise
  std::optional<double> availability;  // APT / PBT
  std::optional<double> performance;   // ideal time of the produced / APT (capped or not)
  std::optional<double> quality;       // good / produced
  std::optional<double> oee;           // A x P x Q
  std::optional<double> teep;          // OEE x PBT / calendar time
  std::optional<double> nee;           // utilisation efficiency APT / AUBT x P x Q
  std::optional<double> technical_efficiency;  // APT / (APT + ADET)
  std::optional<double> setup_rate;            // AUST / (APT + AUST)
  std::optional<double> first_pass_yield;      // good / produced (rework counts as not good)
  std::optional<double> scrap_ratio;           // scrap / produced
  std::optional<double> rework_ratio;          // rework / produced
  std::optional<double> mtbf_s;                // APT / failures
  std::optional<double> mttr_s;                // failure down time / failures
};

OeeKpis ComputeKpis(const OeeTotals& t, const OeeSettings& settings);

}  // namespace fh::analytics::oee
