// Material lots and their genealogy: which input lots went into which output lots. Links
// form a directed graph that traceability walks backward (where did this come from) and
// forward (where did this go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"
#include "model/sample.h"

namespace fh {

enum class LotStatus { kAvailable, kOnHold, kConsumed, kShipped, kScrapped };
inline constexpr EnumNames<LotStatus, 5> kLotStatusNames = {{
    {LotStatus::kAvailable, "available"},
    {LotStatus::kOnHold, "on_hold"},
    {LotStatus::kConsumed, "consumed"},
    {LotStatus::kShipped, "shipped"},
    {LotStatus::kScrapped, "scrapped"},
}};
inline std::string_view ToString(LotStatus v) {
  return EnumToString(kLotStatusNames, v);
}
inline Result<LotStatus> ParseLotStatus(std::string_view s) {
  return EnumParse(kLotStatusNames, "lot status", s);
}

// Natural key: (material_id, number): lot (batch) numbers are unique per material, as in
// most ERPs.
struct Lot {
  int64_t id = 0;
  int64_t material_id = 0;
  std::string number;  // "L-2024-0042"
  LotStatus status = LotStatus::kAvailable;
  std::optional<double> quantity;  // >= 0, in `unit`
  std::optional<std::string> unit;
  std::optional<int64_t> work_order_id;  // the order that produced it
  std::optional<std::string> supplier;   // for bought-in lots
  std::optional<TimestampNs> produced_at;
  std::optional<TimestampNs> expires_at;
  Lineage lineage;
  bool operator==(const Lot&) const = default;
};

// Some of input_lot went into output_lot. Natural key: (input_lot_id, output_lot_id).
struct LotLink {
  int64_t id = 0;
  int64_t input_lot_id = 0;
  int64_t output_lot_id = 0;       // != input_lot_id
  std::optional<double> quantity;  // of the input consumed, in the input lot's unit
  std::optional<int64_t> work_order_id;
  std::optional<TimestampNs> linked_at;
  Lineage lineage;
  bool operator==(const LotLink&) const = default;
};

// Some of a lot delivered to a customer: one line of a delivery note. Natural key:
// (number, lot_id).
struct Shipment {
  int64_t id = 0;
  std::string number;  // the delivery note, "DN-2026-0007"
  int64_t lot_id = 0;
  int64_t customer_id = 0;
  std::optional<int64_t> sales_order_id;
  std::optional<double> quantity;  // of the lot, in `unit`
  std::optional<std::string> unit;
  std::optional<TimestampNs> shipped_at;
  Lineage lineage;
  bool operator==(const Shipment&) const = default;
};

enum class TraceDirection { kBackward, kForward };
inline constexpr EnumNames<TraceDirection, 2> kTraceDirectionNames = {{
    {TraceDirection::kBackward, "backward"},
    {TraceDirection::kForward, "forward"},
}};
inline std::string_view ToString(TraceDirection v) {
  return EnumToString(kTraceDirectionNames, v);
}
inline Result<TraceDirection> ParseTraceDirection(std::string_view s) {
  return EnumParse(kTraceDirectionNames, "trace direction", s);
}

// One link seen from one end: the lot at the other end, and what the link says.
struct LotEdge {
  int64_t lot_id = 0;
  std::optional<double> quantity;
  std::optional<int64_t> work_order_id;
  bool operator==(const LotEdge&) const = default;
};

// A lot reached by tracing, `depth` links away from the start (1 = direct input/output).
struct TracedLot {
  int64_t lot_id = 0;
  int64_t depth = 0;
  bool operator==(const TracedLot&) const = default;
};

}  // namespace fh
