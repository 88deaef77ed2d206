// How a site counts OEE: its shift calendar (time zone, shifts, breaks, holidays), which
// equipment states fall in which ISO 22400-2 time bucket, micro-stops, the performance
// convention and the ideal cycle times. Read from the hub's oee.yaml (docs/oee.md); every
// key is optional, and a hub without the file runs around the clock in UTC.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cctz/time_zone.h>

#include "common/status.h"
#include "model/equipment_state.h"

namespace fh::analytics::oee {

// Where a state's time goes in the ISO 22400-2 time model.
enum class TimeBucket {
  kProduction,  // APT: actual production time
  kSetup,       // AUST: actual unit setup time
  kDelay,       // ADET: actual unit delay time (waiting, starved, blocked)
  kDown,        // ADOT: actual unit down time (breakdowns)
  kPlanned,     // PDOT: planned down time
};

// ISO 22400-2's effectiveness (planned run time per unit x produced / APT) may exceed 100 %
// when a machine beats its planned rate; the ideal-cycle-time convention caps it at 100 %.
enum class PerformanceConvention { kCapped, kIso };

// Whether a short stop lowers availability (the default) or is booked as running time,
// lowering performance instead (the "six big losses" reading).
enum class MicroStopLoss { kAvailability, kPerformance };

struct ShiftSpec {
  std::string name;
  std::array<bool, 7> days{};  // Monday first
  int start_minute = 0;        // local time of day, 0..1439
  int end_minute = 0;          // at or before the start: the next day (equal: 24 hours)
  struct Break {
    int start_minute = 0;
    int end_minute = 0;
  };
  std::vector<Break> breaks;
};

// The ideal (or planned) seconds per unit of `material` on equipment whose path matches
// `equipment` (a glob); the first matching rule wins, after a work order's own value.
struct CycleTimeRule {
  std::string equipment = "*";
  std::string material = "*";
  double seconds = 0;
};

struct OeeSettings {
  std::string time_zone = "UTC";
  cctz::time_zone zone = cctz::utc_time_zone();
  std::vector<ShiftSpec> shifts;  // empty: one "day" shift around the clock
  std::vector<int64_t> holidays;  // local dates as days since 1970-01-01; no shift starts
  PerformanceConvention performance = PerformanceConvention::kCapped;
  int64_t micro_stop_ns = 5 * 60'000'000'000LL;  // a stop shorter than this is a micro-stop
  MicroStopLoss micro_stop_loss = MicroStopLoss::kAvailability;
  std::array<TimeBucket, 7> bucket_of_state = {
      TimeBucket::kProduction,  // running
      TimeBucket::kDelay,       // idle
      TimeBucket::kDelay,       // starved
      TimeBucket::kDelay,       // blocked
      TimeBucket::kSetup,       // setup
      TimeBucket::kDown,        // down
      TimeBucket::kPlanned,     // planned_stop
  };
  std::array<bool, 7> failure_state = {false, false, false, false, false, true, false};
  std::vector<CycleTimeRule> cycle_times;

  TimeBucket BucketOf(EquipmentState s) const { return bucket_of_state[static_cast<int>(s)]; }
  bool IsFailure(EquipmentState s) const { return failure_state[static_cast<int>(s)]; }
  std::optional<double> CycleTime(std::string_view equipment_path, std::string_view material) const;
};

struct OeeConfig {
  OeeSettings defaults;
  // Sites (or any asset) whose settings differ: the longest matching path prefix wins.
  std::vector<std::pair<std::string, OeeSettings>> sites;

  const OeeSettings& For(std::string_view asset_path) const;

  // Parses oee.yaml text; errors name the file, line and key.
  static Result<OeeConfig> Parse(const std::string& yaml, const std::string& file);
  // The hub's oee.yaml (`path`), or the defaults when there is no such file.
  static Result<OeeConfig> Load(const std::string& path);
};

inline constexpr const char* kOeeConfigFile = "oee.yaml";

std::string_view ToString(TimeBucket b);

}  // namespace fh::analytics::oee
