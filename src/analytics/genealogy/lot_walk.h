// The walk of a trace: every lot reachable from one lot through genealogy links, backward
// (what went into it) or forward (where it went), breadth-first so each lot is reached
// once at its smallest depth, by one path. A blend that merges many lots therefore costs
// one visit per lot, never one per path, and a cycle in bad data ends the walk instead of
// looping: the links that close one are reported.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "common/status.h"
#include "model/lot.h"

namespace fh {
class Catalog;
}

namespace fh::analytics {

struct WalkOptions {
  TraceDirection direction = TraceDirection::kBackward;
  int64_t max_depth = std::numeric_limits<int64_t>::max();  // links from the start
};

// A lot reached, and how: the link from the lot it was first reached from.
struct WalkedLot {
  int64_t lot_id = 0;
  int64_t depth = 0;  // 0: the start
  int32_t via = -1;   // index in LotWalk::lots of the lot it was reached from; -1: start
  std::optional<double> quantity;        // the link's
  std::optional<int64_t> work_order_id;  // the link's: the operation that consumed
};

// A link that closes a cycle, as the walk met it: from `from_lot` to `to_lot`, where
// `to_lot` was already reached and reaches `from_lot`.
struct WalkCycle {
  int64_t from_lot = 0;
  int64_t to_lot = 0;
};

struct LotWalk {
  TraceDirection direction = TraceDirection::kBackward;
  std::vector<WalkedLot> lots;  // lots[0] is the start; then by depth
  std::vector<WalkCycle> cycles;
  int64_t links = 0;       // links followed or seen
  bool truncated = false;  // max_depth stopped it with links left to follow
};

// Walks from `start` (which must exist).
Result<LotWalk> WalkLots(Catalog& catalog, int64_t start, const WalkOptions& options);

// The lot numbers' path from the start to lots[index], as indices into lots.
std::vector<int32_t> PathTo(const LotWalk& walk, int32_t index);

}  // namespace fh::analytics
