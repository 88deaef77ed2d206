// Runs parsed InfluxQL statements (ast.h) against the hub's store, as InfluxDB 1.x answers
// them (result.h): SHOW over the series index, SELECT with aggregates pushed down to the
// store where it can answer them (count, sum, mean, min, max, spread, stddev, and first/last
// of one series) and computed from the raw points otherwise (median, percentile, selectors'
// times, time offsets).
//
// Bounds: a statement reads at most kMaxPoints raw points and fills at most kMaxBuckets
// buckets per series; past either it fails with a message saying what to narrow, and
// nothing unbounded is held.
#pragma once

#include <string>
#include <vector>

#include "api/influxql/ast.h"
#include "api/influxql/result.h"
#include "api/influxql/series_index.h"
#include "store/storage.h"

namespace fh::api::influxql {

inline constexpr size_t kMaxPoints = 10'000'000;
inline constexpr int64_t kMaxBuckets = 1'000'000;
// The store's buckets of a measurement's series are asked for in one query up to this many.
inline constexpr double kMaxPrefetchBuckets = 20'000'000;

StatementResult RunSelect(const SelectStatement& s, const SeriesIndex& index, Storage& storage,
                          int64_t now_ns);

// Every SHOW but SHOW DATABASES, which the caller answers (it knows the databases).
StatementResult RunShow(const ShowStatement& s, const SeriesIndex& index);

}  // namespace fh::api::influxql
