#include "store/clickhouse/clickhouse_schema.h"

#include <vector>

#include <fmt/format.h>

namespace fh::clickhouse {

TableNames TableNames::For(bool cluster) {
  const std::string suffix = cluster ? "_all" : "";
  return {std::string(kSamplesTable) + suffix, std::string(kTagStatsTable) + suffix,
          std::string(kOverwrittenTable) + suffix, std::string(kCommitsTable) + suffix,
          std::string(kFloorsTable) + suffix};
}

namespace schema_detail {

struct Table {
  std::string_view name;
  std::string_view columns;
  std::string_view engine;  // without its Replicated prefix and arguments' path
  std::string_view engine_arguments;
  std::string_view layout;  // PARTITION BY / ORDER BY
};

constexpr Table kTables[] = {
    {kSamplesTable, "site String, tag String, ts Int64, value Float64, quality UInt32, seq UInt64",
     "ReplacingMergeTree", "seq",
     "PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000000000), 'UTC')) ORDER BY (site, tag, ts)"},
    {kTagStatsTable,
     "site String, tag String, points AggregateFunction(sum, Int64), first "
     "AggregateFunction(min, Int64), last AggregateFunction(max, Int64)",
     "AggregatingMergeTree", "", "ORDER BY (site, tag)"},
    {kOverwrittenTable, "site String, tag String, overwritten UInt8, version UInt64",
     "ReplacingMergeTree", "version", "ORDER BY (site, tag)"},
    {kCommitsTable, "site String, stage String, state UInt8, version UInt64", "ReplacingMergeTree",
     "version", "ORDER BY (site, stage)"},
    {kFloorsTable, "site String, tag String, before Int64", "ReplacingMergeTree", "before",
     "ORDER BY (site, tag)"},
};

std::string Engine(const Table& t, const std::string& database, bool cluster) {
  if (!cluster) return fmt::format("{}({})", t.engine, t.engine_arguments);
  return fmt::format("Replicated{}('/clickhouse/tables/{{shard}}/{}/{}', '{{replica}}'{}{})",
                     t.engine, database, t.name, t.engine_arguments.empty() ? "" : ", ",
                     t.engine_arguments);
}

}  // namespace schema_detail

Status CreateSchema(HttpClient& client, const std::string& database, const std::string& cluster) {
  // Every open of a hub comes here: when the tables are all there, nothing is sent (on a
  // cluster each statement would go through ZooKeeper's queue to every server).
  std::string names;
  size_t expected = 1;  // the view
  for (const schema_detail::Table& t : schema_detail::kTables) {
    names += fmt::format("{}'{}'", names.empty() ? "" : ", ", t.name);
    if (!cluster.empty()) names += fmt::format(", '{}_all'", t.name);
    expected += cluster.empty() ? 1 : 2;
  }
  FH_ASSIGN_OR_RETURN(std::string present,
                      client.Query(fmt::format("SELECT count() FROM system.tables WHERE database "
                                               "= '{}' AND name IN ({}, '{}_mv')",
                                               database, names, kTagStatsTable)));
  if (present == std::to_string(expected) + "\n") return Status();

  // The statements name the database, so they work before it is the session's default.
  const std::string db = "`" + database + "`";
  const std::string on = cluster.empty() ? "" : " ON CLUSTER `" + cluster + "`";
  std::vector<std::string> statements = {fmt::format("CREATE DATABASE IF NOT EXISTS {}{}", db, on)};
  for (const schema_detail::Table& t : schema_detail::kTables) {
    statements.push_back(
        fmt::format("CREATE TABLE IF NOT EXISTS {}.{}{} ({}) ENGINE = {} {}", db, t.name, on,
                    t.columns, schema_detail::Engine(t, database, !cluster.empty()), t.layout));
    if (!cluster.empty()) {
      statements.push_back(fmt::format(
          "CREATE TABLE IF NOT EXISTS {0}.{1}_all{2} AS {0}.{1} ENGINE = Distributed(`{3}`, {4}, "
          "{1}, cityHash64(site, {5}))",
          db, t.name, on, cluster, database, t.name == kCommitsTable ? "stage" : "tag"));
    }
  }
  // On a cluster each shard's view feeds its own tag_stats from the rows it receives.
  statements.push_back(
      fmt::format("CREATE MATERIALIZED VIEW IF NOT EXISTS {0}.{1}_mv{3} TO {0}.{1} AS SELECT site, "
                  "tag, sumState(toInt64(1)) AS points, minState(ts) AS first, maxState(ts) AS "
                  "last FROM {0}.{2} GROUP BY site, tag",
                  db, kTagStatsTable, kSamplesTable, on));
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
