// A trace as people read it (docs/genealogy.md): the walk's lots with their material,
// quantities and the path that reached them, and everything they touch — the work orders
// that made or consumed them, the equipment those ran on, their inspections and the
// shipments that took them to customers — each listed once. `factoryhub trace` and
// GET /api/v1/trace/... print it; a recall report is its shipments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/genealogy/lot_walk.h"
#include "common/status.h"
#include "model/lot.h"

namespace fh {
class Catalog;
}

namespace fh::analytics {

struct TracedLotInfo {
  WalkedLot walked;
  Lot lot;
  std::string material;                   // its code
  std::vector<std::string> path;          // lot numbers from the start to this one
  std::optional<std::string> made_by;     // the work order that produced it
  std::optional<std::string> link_order;  // the link's work order (what consumed the input)
  int64_t inspections = 0, failed_inspections = 0;
};

struct TracedOrder {
  std::string number;
  std::string material;
  std::optional<std::string> equipment;  // asset path
  std::string status;
};

struct TracedInspection {
  std::string lot;  // the lot it belongs to (by lot or by the order that made the lot)
  std::string characteristic;
  TimestampNs inspected_at = 0;
  std::optional<double> value;
  std::string result;
  std::optional<std::string> defect_code;
};

struct TracedShipment {
  std::string number;
  std::string lot;
  std::string material;
  int64_t depth = 0;
  std::vector<std::string> path;
  std::string customer_code, customer_name;
  std::optional<std::string> country;
  std::optional<double> quantity;
  std::optional<std::string> unit;
  std::optional<TimestampNs> shipped_at;
};

struct LotTrace {
  TraceDirection direction = TraceDirection::kBackward;
  std::vector<TracedLotInfo> lots;  // lots[0] is the start
  std::vector<TracedOrder> orders;
  std::vector<std::string> equipment;
  std::vector<TracedInspection> inspections;
  std::vector<TracedShipment> shipments;  // by customer, date, note and lot
  std::vector<WalkCycle> cycles;
  std::vector<std::pair<std::string, std::string>> cycle_lots;  // the cycles' lot numbers
  int64_t links = 0;
  bool truncated = false;
};

// The lot named `number` (of `material` when given: numbers are unique per material
// only). NotFound, or InvalidArgument naming the materials when the number is ambiguous.
Result<Lot> FindTraceStart(Catalog& catalog, std::string_view number,
                           std::string_view material = {});

// Walks and describes. Inspections are listed only with `with_inspections` (a forward
// trace of a raw material can reach thousands).
Result<LotTrace> TraceLot(Catalog& catalog, int64_t start, const WalkOptions& options,
                          bool with_inspections = true);

}  // namespace fh::analytics
