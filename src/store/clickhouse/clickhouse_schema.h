// The tables the ClickHouse back end keeps in its database (docs/storage.md):
//
// samples           every point: ReplacingMergeTree(seq) partitioned by month, ordered by
//                   (site, tag, ts). seq is the write's version: of two rows of one point,
//                   the later write's wins when ClickHouse merges them, or when a query
//                   reads with FINAL.
// tag_stats         per site and tag the rows inserted and the first and last time, kept by
//                   a materialised view on every insert (tag_stats_mv): listing tags never
//                   scans the samples.
// overwritten_tags  tags that may hold two rows of one point (a write at or before a time
//                   already stored): their aggregates and counts are read with FINAL until
//                   a compaction has merged the rows away.
// retention_floors  per site and tag the time before which DeleteBefore deleted every point
//                   (the highest): tag_stats' first time, which cannot be taken back, is
//                   read from the samples above it.
// staged_commits    large writes are staged in a table of their own and moved into samples
//                   at commit; a commit cut off half-way is completed on the next open.
//
// On a cluster each of these is on every shard, replicated, with a Distributed table named
// <table>_all over them (TableNames); stages stay on the server the hub talks to.
//
// Version 18.16 (Debian's) has no DateTime64, so time is Int64 nanoseconds; no codecs, no
// TTL; LowCardinality is experimental there, so names are plain Strings (sorted first in
// the key, they compress to almost nothing).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/clickhouse/clickhouse_http.h"

namespace fh::clickhouse {

inline constexpr std::string_view kSamplesTable = "samples";
inline constexpr std::string_view kTagStatsTable = "tag_stats";
inline constexpr std::string_view kOverwrittenTable = "overwritten_tags";
inline constexpr std::string_view kCommitsTable = "staged_commits";
inline constexpr std::string_view kFloorsTable = "retention_floors";
inline constexpr std::string_view kStagePrefix = "stage_";

// The columns of samples (and of a stage) in RowBinary order.
inline constexpr std::string_view kSampleColumns = "site, tag, ts, value, quality, seq";

// The tables statements read and write: the tables themselves on one server; on a cluster
// (storage.clickhouse.cluster) the Distributed tables over every shard's ("samples_all").
struct TableNames {
  std::string samples, tag_stats, overwritten, commits, floors;
  static TableNames For(bool cluster);
};

// Creates the database and whatever of the tables is missing; existing ones are kept. On a
// cluster (`cluster` names one of the server's remote_servers) the statements run ON
// CLUSTER: every shard gets Replicated tables (in ZooKeeper under
// /clickhouse/tables/{shard}/DATABASE/TABLE, the servers' macros naming shard and replica)
// and a Distributed table over them, rows placed by cityHash64(site, tag): every point of a
// tag lives on one shard.
Status CreateSchema(HttpClient& client, const std::string& database, const std::string& cluster);

// CREATE TABLE for a stage: the columns of samples, appended to as a writer goes.
std::string CreateStageSql(std::string_view stage);

}  // namespace fh::clickhouse
