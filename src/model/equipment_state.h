// Equipment state events: what a machine was doing from when to when, and why it was not
// running. They feed OEE availability and the downtime Pareto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"
#include "model/sample.h"

namespace fh {

// For OEE, planned_stop time is outside planned production time; every other state but
// running is lost availability.
enum class EquipmentState { kRunning, kIdle, kStarved, kBlocked, kSetup, kDown, kPlannedStop };
inline constexpr EnumNames<EquipmentState, 7> kEquipmentStateNames = {{
    {EquipmentState::kRunning, "running"},
    {EquipmentState::kIdle, "idle"},
    {EquipmentState::kStarved, "starved"},           // waiting for material from upstream
    {EquipmentState::kBlocked, "blocked"},           // downstream cannot take output
    {EquipmentState::kSetup, "setup"},               // changeover
    {EquipmentState::kDown, "down"},                 // unplanned stop (breakdown)
    {EquipmentState::kPlannedStop, "planned_stop"},  // breaks, planned maintenance, no shift
}};
inline std::string_view ToString(EquipmentState v) {
  return EnumToString(kEquipmentStateNames, v);
}
inline Result<EquipmentState> ParseEquipmentState(std::string_view s) {
  return EnumParse(kEquipmentStateNames, "equipment state", s);
}

// Why a machine stopped. Natural key: code.
struct ReasonCode {
  int64_t id = 0;
  std::string code;  // "JAM", "E-102"
  std::optional<std::string> description;
  std::optional<std::string> category;  // free grouping for the Pareto ("mechanical", ...)
  Lineage lineage;
  bool operator==(const ReasonCode&) const = default;
};

// The equipment was in `state` during [start_ts, end_ts); end_ts is empty while the state
// lasts. Natural key: (equipment_id, start_ts).
struct EquipmentStateEvent {
  int64_t id = 0;
  int64_t equipment_id = 0;  // asset.id
  EquipmentState state = EquipmentState::kRunning;
  TimestampNs start_ts = 0;
  std::optional<TimestampNs> end_ts;
  std::optional<int64_t> reason_id;      // reason_code.id
  std::optional<int64_t> work_order_id;  // the order running at the time, if known
  Lineage lineage;
  bool operator==(const EquipmentStateEvent&) const = default;
};

// An event without its lineage: what OEE reads, a year of a plant at a time.
struct StateSpan {
  EquipmentState state = EquipmentState::kRunning;
  TimestampNs start_ts = 0;
  std::optional<TimestampNs> end_ts;
  std::optional<int64_t> reason_id;
  bool operator==(const StateSpan&) const = default;
};

}  // namespace fh
