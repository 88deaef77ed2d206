// InfluxQL's aggregate and selector functions, computed the way InfluxDB 1.x computes them:
// from the points of a bucket (any function), or from the hub's per-tag bucket aggregates
// (storage.h) when the store can answer in one pass, merged across the series of a group.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "store/storage.h"

namespace fh::api::influxql {

struct Point {
  int64_t ts;
  double value;
};

// The value of a function, and for selectors (first, last, min, max, percentile) the time
// of the point it selected.
struct FunctionValue {
  double value = 0;
  int64_t ts = 0;
  bool is_count = false;  // count: an integer
};

// `points` in series order, each series' points in time order. Empty `points` → nullopt, as
// is a percentile that selects no point and stddev of one point.
std::optional<FunctionValue> Compute(std::string_view function, double argument,
                                     std::span<const Point> points);

// Functions the store's bucket aggregates answer (first and last only for one series).
bool StoreAnswers(std::string_view function, size_t series);
// The storage Agg bits `function` needs.
uint32_t AggsFor(std::string_view function);
// `function` over the buckets of one time bucket, one per series.
std::optional<FunctionValue> FromBuckets(std::string_view function,
                                         std::span<const Bucket* const> buckets);

bool IsSelector(std::string_view function);

}  // namespace fh::api::influxql
