// The ClickHouse store's commits of staged writes, their completion after a cut, and
// Compact(): what makes a store without transactions keep Storage's promises.
#include <charconv>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/clickhouse/clickhouse_writer.h"
#include "store/clickhouse/row_binary.h"
#include "store/clickhouse/tag_values.h"

namespace fh::clickhouse {
namespace commit_detail {

enum CommitState : uint8_t { kCommitting = 1, kCommitted = 2 };

// A stage nobody committed within a day belongs to a writer that died.
constexpr int64_t kStaleStageNs = 24 * 3600 * int64_t{1'000'000'000};

Result<std::vector<std::string>> Strings(HttpClient& client, const std::string& sql) {
  FH_ASSIGN_OR_RETURN(std::string answer, client.Query(sql + " FORMAT RowBinary"));
  std::vector<std::string> out;
  RowBinaryCursor cursor(answer);
  while (!cursor.done()) {
    if (!cursor.String(&out.emplace_back())) {
      return Internal("ClickHouse's answer ended in the middle of a row: {}", sql);
    }
  }
  return out;
}

// OPTIMIZE ... FINAL. On a replicated table with nothing to merge (no part, or one already
// merged) ClickHouse 18.16 answers "Unknown log entry type: 0", which means just that.
Status Optimize(HttpClient& client, const std::string& sql) {
  Status s = client.Execute(sql);
  if (!s.ok() && s.message().find("Unknown log entry type: 0") != std::string::npos) {
    return Status();
  }
  return s;
}

}  // namespace commit_detail

Status ClickHouseStorage::FlagStageTags(const std::string& stage) {
  ClientPool::Lease client = pool_.Acquire();
  return client->Execute(
      fmt::format("INSERT INTO {} (site, tag, overwritten, version) SELECT site, tag, toUInt8(1), "
                  "toUInt64({}) FROM {} GROUP BY site, tag",
                  tables_.overwritten, NextVersion(), stage));
}

Status ClickHouseStorage::RecordCommit(const std::string& stage, uint8_t state) {
  std::string row;
  RowBinaryWriter w(&row);
  w.String(site_);
  w.String(stage);
  w.UInt8(state);
  w.UInt64(NextVersion());
  ClientPool::Lease client = pool_.Acquire();
  return client->InsertRowBinary(tables_.commits, "site, stage, state, version", row);
}

Status ClickHouseStorage::CommitStage(const std::string& stage) {
  FH_RETURN_IF_ERROR(RecordCommit(stage, commit_detail::kCommitting));
  ClientPool::Lease client = pool_.Acquire();
  Status moved = client->Execute(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM {2}",
                                             tables_.samples, kSampleColumns, stage));
  if (!moved.ok()) {
    return moved.WithContext(fmt::format(
        "committing staged points ({}): the commit is recorded and completes when the store "
        "is next opened or compacted",
        stage));
  }
  FH_RETURN_IF_ERROR(client->Execute(fmt::format("DROP TABLE IF EXISTS {}", stage)));
  return RecordCommit(stage, commit_detail::kCommitted);
}

Status ClickHouseStorage::RecoverCommits() {
  std::vector<std::string> pending;
  {
    ClientPool::Lease client = pool_.Acquire();
    FH_ASSIGN_OR_RETURN(
        pending,
        commit_detail::Strings(
            *client, fmt::format("SELECT stage FROM (SELECT stage, argMax(state, "
                                 "version) AS s FROM {} WHERE site = {} GROUP BY "
                                 "stage) WHERE s = {}",
                                 tables_.commits, site_sql_, int{commit_detail::kCommitting})));
  }
  for (const std::string& stage : pending) {
    std::vector<std::string> exists;
    {
      ClientPool::Lease client = pool_.Acquire();
      FH_ASSIGN_OR_RETURN(
          exists, commit_detail::Strings(
                      *client, fmt::format("SELECT name FROM system.tables WHERE "
                                           "database = {} AND name = {}",
                                           Quote(pool_.endpoint().database), Quote(stage))));
    }
    if (!exists.empty()) {
      // Some of its rows may be in samples already: their tags are read as overwritten.
      FH_RETURN_IF_ERROR(FlagStageTags(stage));
    }
    // Moving a stage again is harmless: the same rows carry the same versions.
    if (exists.empty()) {
      FH_RETURN_IF_ERROR(RecordCommit(stage, commit_detail::kCommitted));
    } else {
      FH_RETURN_IF_ERROR(CommitStage(stage));
    }
  }
  return Status();
}

Status ClickHouseStorage::DropStaleStages() {
  const std::string prefix = ClickHouseWriter::StageName(site_, 0);
  const std::string own = prefix.substr(0, prefix.size() - 1);  // "stage_<hash>_"
  ClientPool::Lease client = pool_.Acquire();
  FH_ASSIGN_OR_RETURN(
      std::vector<std::string> stages,
      commit_detail::Strings(*client, fmt::format("SELECT name FROM system.tables WHERE database = "
                                                  "{} AND startsWith(name, {})",
                                                  Quote(pool_.endpoint().database), Quote(own))));
  const uint64_t now = NextVersion();
  for (const std::string& stage : stages) {
    uint64_t version = 0;
    const char* begin = stage.data() + own.size();
    auto [end, ec] = std::from_chars(begin, stage.data() + stage.size(), version);
    if (ec != std::errc() || end != stage.data() + stage.size()) continue;
    if (version + commit_detail::kStaleStageNs > now) continue;
    FH_RETURN_IF_ERROR(client->Execute(fmt::format("DROP TABLE IF EXISTS {}", stage)));
  }
  return Status();
}

Status ClickHouseStorage::Compact() {
  FH_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock lock(write_mu_);
  FH_RETURN_IF_ERROR(RecoverCommits());
  FH_ASSIGN_OR_RETURN(std::set<std::string> flagged, OverwrittenTags());
  ClientPool::Lease client = pool_.Acquire();
  // The exact count of every tag (one row per point) against the rows tag_stats counted:
  // a difference is a point stored twice, by a flagged tag or by two processes racing.
  FH_ASSIGN_OR_RETURN(auto exact,
                      IntegersByTag(*client, fmt::format("SELECT tag, toInt64(count()) FROM {} "
                                                         "FINAL WHERE site = {} GROUP BY tag",
                                                         tables_.samples, site_sql_)));
  // tag_stats: the rows inserted, and the first and last time, per tag.
  FH_ASSIGN_OR_RETURN(std::string recorded,
                      client->Query(fmt::format("SELECT tag, sumMerge(points), minMerge(first), "
                                                "maxMerge(last) FROM {} WHERE site = {} GROUP BY "
                                                "tag FORMAT RowBinary",
                                                tables_.tag_stats, site_sql_)));
  struct Counted {
    int64_t rows = 0;
    TimestampNs first = 0, last = 0;
  };
  std::map<std::string, Counted> counted;
  for (RowBinaryCursor cursor(recorded); !cursor.done();) {
    std::string tag;
    Counted c;
    if (!cursor.String(&tag) || !cursor.Fixed(&c.rows) || !cursor.Fixed(&c.first) ||
        !cursor.Fixed(&c.last)) {
      return Internal("ClickHouse's answer ended in the middle of a row: tag_stats");
    }
    counted[tag] = c;
  }
  std::vector<std::string> to_merge(flagged.begin(), flagged.end());
  for (const auto& [tag, c] : counted) {
    if (exact[tag] != c.rows && !flagged.contains(tag)) to_merge.push_back(tag);
  }
  if (!to_merge.empty()) {
    const std::string tags = QuotedList(to_merge);
    FH_ASSIGN_OR_RETURN(
        std::vector<std::string> partitions,
        commit_detail::Strings(
            *client,
            fmt::format("SELECT DISTINCT toString(toYYYYMM(toDateTime(intDiv(ts, 1000000000), "
                        "'UTC'))) FROM {} WHERE site = {} AND tag IN {}",
                        tables_.samples, site_sql_, tags)));
    for (const std::string& p : partitions) {
      FH_RETURN_IF_ERROR(commit_detail::Optimize(
          *client, fmt::format("OPTIMIZE TABLE {} PARTITION {} FINAL", kSamplesTable, p)));
    }
    // A merge ClickHouse declined (no room, too large) leaves the tag flagged.
    FH_ASSIGN_OR_RETURN(auto rows,
                        IntegersByTag(*client, fmt::format("SELECT tag, toInt64(count()) FROM {} "
                                                           "WHERE site = {} AND tag IN {} GROUP "
                                                           "BY tag",
                                                           tables_.samples, site_sql_, tags)));
    std::string corrections, cleared;
    RowBinaryWriter w(&cleared);
    const uint64_t version = NextVersion();
    for (const std::string& tag : to_merge) {
      if (rows[tag] != exact[tag]) continue;
      const Counted& c = counted[tag];
      if (const int64_t delta = exact[tag] - c.rows; delta != 0) {
        corrections +=
            fmt::format("{}({}, toInt64({}), toInt64({}), toInt64({}))",
                        corrections.empty() ? "" : ", ", Quote(tag), delta, c.first, c.last);
      }
      w.String(site_);
      w.String(tag);
      w.UInt8(0);
      w.UInt64(version);
    }
    if (!corrections.empty()) {
      // tag_stats counts rows inserted: it learns of the rows merged away as negative
      // counts (the first and last times stay what they were).
      FH_RETURN_IF_ERROR(client->Execute(
          fmt::format("INSERT INTO {} SELECT {}, tupleElement(c, 1), sumState(tupleElement(c, 2)), "
                      "minState(tupleElement(c, 3)), maxState(tupleElement(c, 4)) FROM (SELECT "
                      "arrayJoin([{}]) AS c) GROUP BY tupleElement(c, 1)",
                      tables_.tag_stats, site_sql_, corrections)));
    }
    if (!cleared.empty()) {
      FH_RETURN_IF_ERROR(
          client->InsertRowBinary(tables_.overwritten, "site, tag, overwritten, version", cleared));
    }
  }
  for (std::string_view table : {kTagStatsTable, kOverwrittenTable, kCommitsTable}) {
    FH_RETURN_IF_ERROR(
        commit_detail::Optimize(*client, fmt::format("OPTIMIZE TABLE {} FINAL", table)));
  }
  return Status();
}

}  // namespace fh::clickhouse
