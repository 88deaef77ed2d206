// The demo edge's relational records (cli/demo_edge.h), forwarded to the demo hub as any
// edge's are (docs/sync.md): its presses as equipment under acme/suzhou/stamping/line-1 (so
// the central hub's ISA-95 tree holds both plants), its tags' units and limits, a work order
// per press whose good count moves every minute, a die change on press 2, and an import of
// inspections with one unreadable row, quarantined at the edge and counted at the centre.
#pragma once

#include "common/status.h"
#include "common/time.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoEdgeLine = "acme/suzhou/stamping/line-1";
// How far back its work orders and equipment states go.
inline constexpr int64_t kDemoEdgeRecordHistory = 8 * kNanosPerHour;

// Writes them, for a history starting at `start`.
Status WriteDemoEdgeRecords(Hub& hub, TimestampNs start, TimestampNs now);
// The work orders' good counts at `now` (a stroke every 4 s since `start`).
Status UpdateDemoEdgeOrders(Hub& hub, TimestampNs start, TimestampNs now);

}  // namespace fh::cli
