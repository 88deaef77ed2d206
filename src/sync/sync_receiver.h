// The central hub's side of forwarding (docs/sync.md): a push of an edge's outbox records
// applied once. Records the site has applied already (the edge did not hear the answer and
// sent them again) are skipped; the rest go to the store as one atomic write, each tag named
// "<site>/<tag>", then the site's record moves to the last one's end. A crash between the two
// makes the edge send them again, and storing the same points again changes nothing (last
// write wins with the same values): at least once, into a receiver that makes it once.
#pragma once

#include <string_view>

#include "common/status.h"
#include "store/hub.h"
#include "store/sync/sync_site_store.h"
#include "sync/sync_protocol.h"

namespace fh::sync {

struct PushResult {
  uint64_t applied_end = 0;
  int64_t records = 0, points = 0, duplicates = 0;
  // Relational records applied and refused (sync/catalog_apply.h).
  int64_t catalog_records = 0, catalog_refused = 0;
};

// `site`: 1..64 bytes of letters, digits, '-', '_' and '.'.
// `epoch`: the edge's outbox's; a new one starts its positions at 0 (docs/sync.md).
// `backlog`: what the edge said is still waiting after this push (kBacklogHeader), if it did.
Result<PushResult> ApplyPush(Hub& hub, std::string_view site, std::string_view epoch,
                             std::string_view body, int64_t now_ns,
                             std::optional<EdgeBacklog> backlog = std::nullopt);

}  // namespace fh::sync
