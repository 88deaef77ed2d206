#include "store/clickhouse/clickhouse_schema.h"

#include <fmt/format.h>

namespace fh::clickhouse {

Status CreateSchema(HttpClient& client, const std::string& database) {
  // The statements name the database, so they work before it is the session's default.
  const std::string db = "`" + database + "`";
  const std::string statements[] = {
      fmt::format("CREATE DATABASE IF NOT EXISTS {}", db),
      fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (site String, tag String, ts Int64, value "
                  "Float64, quality UInt32, seq UInt64) ENGINE = ReplacingMergeTree(seq) "
                  "PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000000000), 'UTC')) "
                  "ORDER BY (site, tag, ts)",
                  db, kSamplesTable),
      fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (site String, tag String, points "
                  "AggregateFunction(sum, Int64), first AggregateFunction(min, Int64), last "
                  "AggregateFunction(max, Int64)) ENGINE = AggregatingMergeTree() "
                  "ORDER BY (site, tag)",
                  db, kTagStatsTable),
      fmt::format("CREATE MATERIALIZED VIEW IF NOT EXISTS {0}.{1}_mv TO {0}.{1} AS SELECT site, "
                  "tag, sumState(toInt64(1)) AS points, minState(ts) AS first, maxState(ts) AS "
                  "last FROM {0}.{2} GROUP BY site, tag",
                  db, kTagStatsTable, kSamplesTable),
      fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (site String, tag String, overwritten UInt8, "
                  "version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (site, tag)",
                  db, kOverwrittenTable),
      fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (site String, stage String, state UInt8, "
                  "version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (site, stage)",
                  db, kCommitsTable),
  };
  for (const std::string& sql : statements) {
    FH_RETURN_IF_ERROR(client.Execute(sql).WithContext("creating the ClickHouse schema"));
  }
  return Status();
}

std::string CreateStageSql(std::string_view stage) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (site String, tag String, ts Int64, value "
      "Float64, quality UInt32, seq UInt64) ENGINE = Log",
      stage);
}

}  // namespace fh::clickhouse
