// Alarm definitions, in the hub's alarms.yaml (docs/alarms.md): what each alarm watches
// (a tag against a limit, its rate of change, its deviation from a set-point tag, its
// staleness, a discrete state; or an SPC characteristic's rule violations), how it is
// conditioned (deadband, on and off delays), how urgent it is, the equipment it belongs
// to, and when it is suppressed by design. Applied alike to history (`factoryhub alarms
// evaluate`) and, live, to what serve stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace fh::analytics::alarms {

enum class AlarmType : uint8_t {
  kHigh,          // value above `limit`
  kLow,           // value below `limit`
  kRateOfChange,  // |change per `per`| above `limit`
  kDeviation,     // |value - set-point tag| above `limit`
  kStale,         // no new value for `after`
  kState,         // a discrete value: one of `states`
  kSpc,           // an SPC characteristic's episodes (spc.yaml, judged by serve)
  kModel,         // a registered model's live score above `limit` (serve --score)
};
std::string_view AlarmTypeName(AlarmType type);

// ISA-18.2's priorities, most urgent first.
enum class Priority : uint8_t { kCritical, kHigh, kMedium, kLow };
std::string_view PriorityName(Priority p);
Result<Priority> ParsePriority(std::string_view text);

// "While `tag` is one of `states`, the alarm is suppressed by design" (a stopped machine's
// low-flow alarm says nothing the operator does not know).
struct Suppression {
  std::string tag;
  std::vector<double> states;
};

struct AlarmDefinition {
  std::string name;
  AlarmType type = AlarmType::kHigh;
  std::string tag;                   // all types but spc
  std::string characteristic;        // spc
  std::string model, unit;           // model: its name, and the unit scored ("": the only one)
  std::string setpoint;              // deviation: the set-point tag
  double limit = 0;                  // high, low, rate of change, deviation
  double deadband = 0;               // how far back inside the limit the value must come to clear
  int64_t per_ns = kNanosPerSecond;  // rate of change: the limit is per this long
  int64_t after_ns = 0;              // stale
  std::vector<double> states;        // state: the values that are the alarm
  int64_t on_delay_ns = 0;           // the condition must hold this long before it is an alarm
  int64_t off_delay_ns = 0;          // and be gone this long before the alarm clears
  Priority priority = Priority::kMedium;
  std::string equipment;  // its ISA-95 path (site/area/line/unit)
  std::string description;
  bool latched = false;     // stays until reset after it clears
  int64_t re_alarm_ns = 0;  // acknowledged and still active this long: annunciated again
  std::optional<Suppression> suppressed_when;
};

struct AlarmConfig {
  std::vector<AlarmDefinition> alarms;

  const AlarmDefinition* Find(std::string_view name) const;
  // Parses alarms.yaml text; errors name the file, line and key.
  static Result<AlarmConfig> Parse(const std::string& yaml, const std::string& file);
  // The file at `path`, or no alarms when there is none.
  static Result<AlarmConfig> Load(const std::string& path);
};

inline constexpr const char* kAlarmConfigFile = "alarms.yaml";
// alarms.yaml's other list: where the alarms' events are sent (notify/notify_config.h).
inline constexpr const char* kNotifyKey = "notify";

}  // namespace fh::analytics::alarms
