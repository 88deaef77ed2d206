// Storage::DeleteBefore on ClickHouse (retention, docs/retention.md). 18.16 has no TTL and no
// lightweight delete: the points go by an ALTER TABLE ... DELETE mutation, which ClickHouse
// applies in the background by rewriting the parts concerned; this waits until it has, so
// that what returns is what every later read sees. tag_stats counts rows inserted and keeps
// each tag's first time, neither of which a mutation touches: it learns of the rows deleted
// as negative counts (as Compact tells it of rows merged away), and the cut goes to
// retention_floors: a tag whose first time in tag_stats is below its cut has its first time
// read from its rows (the first of the primary key's order: one granule).
#include <chrono>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "common/time.h"
#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/clickhouse/row_binary.h"
#include "store/clickhouse/tag_values.h"

namespace fh::clickhouse {
namespace delete_detail {

// How long a deletion may take ClickHouse before DeleteBefore gives up waiting (the mutation
// goes on in the background; the next call waits for it too).
constexpr auto kMutationWait = std::chrono::minutes(10);

}  // namespace delete_detail

Status ClickHouseStorage::DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) {
  FH_RETURN_IF_ERROR(CheckWritable());
  if (tags.empty()) return Status();
  const std::string names = QuotedList(tags);
  const std::string where =
      fmt::format("site = {} AND tag IN {} AND ts < {}", site_sql_, names, before);
  const std::string on = cluster_.empty() ? "" : fmt::format(" ON CLUSTER `{}`", cluster_);
  uint64_t version = 0;
  {
    // No write of this process lands between the rows counted and the mutation that
    // deletes them: tag_stats is told exactly what goes.
    std::unique_lock lock(write_mu_);
    ClientPool::Lease client = pool_.Acquire();
    FH_ASSIGN_OR_RETURN(
        const auto deleted,
        IntegersByTag(*client, fmt::format("SELECT tag, toInt64(count()) FROM {} WHERE {} "
                                           "GROUP BY tag",
                                           tables_.samples, where)));
    if (deleted.empty()) return Status();
    version = NextVersion();
    // The mutation goes to the tables that hold the rows: on a cluster every shard's.
    FH_RETURN_IF_ERROR(
        client->Execute(fmt::format("ALTER TABLE `{}`.{}{} DELETE WHERE {}",
                                    pool_.endpoint().database, kSamplesTable, on, where)));
    std::string corrections, floors;
    for (const auto& [tag, n] : deleted) {
      corrections +=
          fmt::format("{}({}, toInt64({}))", corrections.empty() ? "" : ", ", Quote(tag), -n);
      floors += fmt::format("{}({}, {}, toInt64({}))", floors.empty() ? "" : ", ", site_sql_,
                            Quote(tag), before);
    }
    // The first and last times are left as they are: the minimum and maximum of the
    // largest and smallest times leave them unchanged.
    FH_RETURN_IF_ERROR(client->Execute(fmt::format(
        "INSERT INTO {} SELECT {}, tupleElement(c, 1), sumState(tupleElement(c, 2)), "
        "minState(toInt64(9223372036854775807)), maxState(toInt64(-9223372036854775807)) FROM "
        "(SELECT arrayJoin([{}]) AS c) GROUP BY tupleElement(c, 1)",
        tables_.tag_stats, site_sql_, corrections)));
    FH_RETURN_IF_ERROR(client->Execute(
        fmt::format("INSERT INTO {} (site, tag, before) VALUES {}", tables_.floors, floors)));
  }
  // Done when no row the mutation was for is left (points written since, at older times, are
  // not its business: the next retention run takes them).
  ClientPool::Lease client = pool_.Acquire();
  const auto deadline = std::chrono::steady_clock::now() + delete_detail::kMutationWait;
  auto wait = std::chrono::milliseconds(20);
  while (true) {
    FH_ASSIGN_OR_RETURN(std::string left,
                        client->Query(fmt::format("SELECT count() FROM {} WHERE {} AND seq <= {}",
                                                  tables_.samples, where, version)));
    if (left == "0\n") return Status();
    if (std::chrono::steady_clock::now() > deadline) {
      return Unavailable(
          "ClickHouse has not applied the deletion of the points before {} of {} tag(s) after "
          "{} minutes ({} rows left): it goes on in the background (system.mutations)",
          FormatRfc3339(before), tags.size(),
          std::chrono::duration_cast<std::chrono::minutes>(delete_detail::kMutationWait).count(),
          left.substr(0, left.size() - 1));
    }
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(1000));
  }
}

Status ClickHouseStorage::ApplyFloors(std::vector<TagInfo>& tags) {
  ClientPool::Lease client = pool_.Acquire();
  FH_ASSIGN_OR_RETURN(const auto floors,
                      IntegersByTag(*client, fmt::format("SELECT tag, max(before) FROM {} "
                                                         "WHERE site = {} GROUP BY tag",
                                                         tables_.floors, site_sql_)));
  if (floors.empty()) return Status();
  std::string cut;
  std::vector<TagInfo*> affected;
  for (TagInfo& t : tags) {
    auto it = floors.find(t.name);
    if (it == floors.end() || t.first_ts >= it->second) continue;
    cut += fmt::format("{}{}", cut.empty() ? "" : ", ", Quote(t.name));
    affected.push_back(&t);
  }
  if (affected.empty()) return Status();
  FH_ASSIGN_OR_RETURN(const auto first,
                      IntegersByTag(*client, fmt::format("SELECT tag, min(ts) FROM {} "
                                                         "WHERE site = {} AND tag IN ({}) "
                                                         "GROUP BY tag",
                                                         tables_.samples, site_sql_, cut)));
  for (TagInfo* t : affected) {
    auto it = first.find(t->name);
    if (it != first.end()) {
      t->first_ts = it->second;
    } else {  // every point deleted
      t->first_ts = t->last_ts = 0;
      t->samples = 0;
    }
  }
  return Status();
}

}  // namespace fh::clickhouse
