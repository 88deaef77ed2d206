// What `factoryhub sync status` and GET /api/v1/sync say (docs/sync.md): on an edge hub its
// central hub, the outbox's backlog (records, points, bytes, how old the oldest is: the lag),
// what was dropped at the backlog's limits, and the forwarder's last success and last error;
// on a central hub every site forwarding to it, with what it sent and how recently.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "store/hub.h"
#include "sync/forwarder.h"

namespace fh::sync {

// `live`: serve's running forwarder; null: read the state file it keeps.
Result<nlohmann::ordered_json> SyncStatusJson(Hub& hub, const Forwarder* live, int64_t now_ns);

}  // namespace fh::sync
