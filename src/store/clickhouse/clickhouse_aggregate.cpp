// Storage::Aggregate on ClickHouse: the buckets computed by ClickHouse, one query for all
// the tags asked, only the functions asked. Tags that may hold a point twice are read with
// FINAL (one row per point), the others without: FINAL costs about three times as much.
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {
namespace aggregate_detail {

// The Float64 columns after (tag index, start, count), in this order, when asked.
struct Column {
  Agg agg;
  const char* sql;
  double Bucket::*field;
};
constexpr Column kColumns[] = {
    {kAggSum, "sum(value)", &Bucket::sum},
    {kAggMean, "avg(value)", &Bucket::mean},
    // ClickHouse's min and max pass over NaN; Storage's make the bucket's NaN, as IEEE
    // arithmetic would (storage.h).
    {kAggMin, "if(max(isNaN(value)) = 1, nan, min(value))", &Bucket::min},
    {kAggMax, "if(max(isNaN(value)) = 1, nan, max(value))", &Bucket::max},
    {kAggFirst, "argMin(value, ts)", &Bucket::first},
    {kAggLast, "argMax(value, ts)", &Bucket::last},
    {kAggStddev, "stddevSamp(value)", &Bucket::stddev},
};

std::string BucketStart(const AggregateQuery& q) {
  if (q.every > 0) {
    // Floor to a multiple of `every` for negative times too (% truncates toward zero).
    // toInt64: an unsigned literal would make % unsigned, and wrong for negative times.
    return fmt::format("ts - (((ts % toInt64({0})) + toInt64({0})) % toInt64({0}))", q.every);
  }
  if (q.range.from != TimeRange{}.from) return std::to_string(q.range.from);
  return "min(ts)";
}

std::string Sql(const AggregateQuery& q, const std::string& table,
                const std::vector<std::string>& tags, bool final, const std::string& site_sql) {
  const std::string in = QuotedList(tags);
  const bool grouped_by_start = q.every > 0;
  std::string columns = fmt::format("tag, {} AS b, count()", BucketStart(q));
  for (const Column& c : kColumns) {
    if (q.aggs & c.agg) columns += fmt::format(", toFloat64({})", c.sql);
  }
  std::string sql = fmt::format(
      "SELECT {} FROM {}{} WHERE site = {} AND tag IN {}{} GROUP BY tag{} ORDER BY "
      "tag, b",
      columns, table, final ? " FINAL" : "", site_sql, in, TimeCondition(q.range),
      grouped_by_start ? ", b" : "");
  if (q.max_buckets > 0) sql += fmt::format(" LIMIT {} BY tag", q.max_buckets + 1);
  return sql + " FORMAT RowBinary";
}

}  // namespace aggregate_detail

Result<std::vector<TagBuckets>> ClickHouseStorage::Aggregate(const AggregateQuery& query) {
  if (query.every < 0) return InvalidArgument("bucket width must be positive, got {}", query.every);
  if (query.aggs == 0) return InvalidArgument("no aggregate function requested");
  std::vector<TagBuckets> out(query.tags.size());
  if (query.tags.empty()) return out;
  FH_RETURN_IF_ERROR(CheckKnown(query.tags));
  FH_ASSIGN_OR_RETURN(std::set<std::string> overwritten, OverwrittenTags());

  // A tag asked twice gets its buckets twice.
  std::unordered_map<std::string, std::vector<size_t>> positions;
  for (size_t i = 0; i < query.tags.size(); ++i) {
    out[i].tag = query.tags[i];
    positions[query.tags[i]].push_back(i);
  }
  std::vector<std::string> plain, merged;
  for (const auto& [tag, where] : positions)
    (overwritten.contains(tag) ? merged : plain).push_back(tag);

  size_t floats = 0;
  for (const aggregate_detail::Column& c : aggregate_detail::kColumns)
    floats += (query.aggs & c.agg) ? 1 : 0;
  const size_t fixed_bytes = 8 + 8 + 8 * floats;
  ClientPool::Lease client = pool_.Acquire();
  for (bool final : {false, true}) {
    const std::vector<std::string>& tags = final ? merged : plain;
    if (tags.empty()) continue;
    StringRowReader reader(fixed_bytes);
    std::string_view tag;
    const std::vector<size_t>* where = nullptr;
    FH_RETURN_IF_ERROR(client->QueryStream(
        aggregate_detail::Sql(query, tables_.samples, tags, final, site_sql_),
        [&](std::string_view bytes) {
          return reader.Feed(bytes, [&](std::string_view name, const char* row) {
            if (where == nullptr || name != tag) {  // rows come tag by tag
              auto it = positions.find(std::string(name));
              if (it == positions.end()) return true;
              tag = it->first;
              where = &it->second;
            }
            Bucket b;
            b.start = RowBinaryReader::Get<int64_t>(row);
            b.count = static_cast<int64_t>(RowBinaryReader::Get<uint64_t>(row + 8));
            const char* f = row + 16;
            for (const aggregate_detail::Column& c : aggregate_detail::kColumns) {
              if (!(query.aggs & c.agg)) continue;
              b.*c.field = RowBinaryReader::Get<double>(f);
              f += 8;
            }
            if (b.count < 2) b.stddev = std::numeric_limits<double>::quiet_NaN();
            for (size_t p : *where)
              out[p].buckets.push_back(b);
            return true;
          });
        }));
    if (reader.pending() != 0) return Internal("ClickHouse's aggregate answer ended mid-row");
  }
  return out;
}

}  // namespace fh::clickhouse
