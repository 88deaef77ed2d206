// What an edge hub sends its central hub (POST /api/v1/sync/push, docs/sync.md): records of
// its outbox, each as its position in the outbox's stream, where it ends, when it was
// appended, its points and its payload (a SampleBatch, store/outbox/sample_batch_codec.h).
// Little-endian: u64 position, u64 end, i64 appended_ns, u32 points, u32 payload length,
// payload. The body travels gzip-compressed; the site is the X-Factoryhub-Site header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/outbox/outbox.h"

namespace fh::sync {

inline constexpr const char* kSiteHeader = "X-Factoryhub-Site";
// The edge's outbox (store/outbox/outbox.h epoch()): positions count within it.
inline constexpr const char* kEpochHeader = "X-Factoryhub-Sync-Epoch";
inline constexpr const char* kPushPath = "/api/v1/sync/push";
// What is still waiting in the edge's outbox once this push is applied: "RECORDS POINTS
// BYTES", for the central hub's view of its sites (docs/sync.md).
inline constexpr const char* kBacklogHeader = "X-Factoryhub-Backlog";

struct EdgeBacklog {
  int64_t records = 0, points = 0, bytes = 0;
};
std::string FormatBacklog(const EdgeBacklog& backlog);
// nullopt for a header that is not three non-negative integers.
std::optional<EdgeBacklog> ParseBacklog(std::string_view header);

void EncodePush(const std::vector<outbox::Record>& records, std::string* out);
// InvalidArgument naming the record when a length does not fit what is left.
Result<std::vector<outbox::Record>> DecodePush(std::string_view body);

}  // namespace fh::sync
