#include "api/influxql/functions.h"

#include <algorithm>
#include <cmath>

namespace fh::api::influxql {

bool IsSelector(std::string_view f) {
  return f == "first" || f == "last" || f == "min" || f == "max" || f == "percentile";
}

std::optional<FunctionValue> Compute(std::string_view f, double argument,
                                     std::span<const Point> points) {
  if (points.empty()) return std::nullopt;
  FunctionValue out;
  if (f == "count") {
    out.value = static_cast<double>(points.size());
    out.is_count = true;
    return out;
  }
  if (f == "sum" || f == "mean") {
    double sum = 0;
    for (const Point& p : points)
      sum += p.value;
    out.value = f == "sum" ? sum : sum / static_cast<double>(points.size());
    return out;
  }
  if (f == "first" || f == "last" || f == "min" || f == "max") {
    // Ties are broken as InfluxDB's reducers break them: for first and last, points of
    // several series at the same time give the greater value; for min and max, equal values
    // give the earlier point.
    const Point* best = &points[0];
    for (const Point& p : points.subspan(1)) {
      const bool better =
          f == "first"  ? p.ts < best->ts || (p.ts == best->ts && p.value > best->value)
          : f == "last" ? p.ts > best->ts || (p.ts == best->ts && p.value > best->value)
          : f == "min"  ? p.value < best->value || (p.value == best->value && p.ts < best->ts)
                        : p.value > best->value || (p.value == best->value && p.ts < best->ts);
      if (better) best = &p;
    }
    out.value = best->value;
    out.ts = best->ts;
    return out;
  }
  if (f == "spread") {
    auto [lo, hi] =
        std::minmax_element(points.begin(), points.end(),
                            [](const Point& a, const Point& b) { return a.value < b.value; });
    out.value = hi->value - lo->value;
    return out;
  }
  if (f == "stddev") {
    if (points.size() < 2) return std::nullopt;
    double sum = 0;
    for (const Point& p : points)
      sum += p.value;
    const double mean = sum / static_cast<double>(points.size());
    double squares = 0;
    for (const Point& p : points)
      squares += (p.value - mean) * (p.value - mean);
    out.value = std::sqrt(squares / static_cast<double>(points.size() - 1));
    return out;
  }
  std::vector<Point> sorted(points.begin(), points.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Point& a, const Point& b) {
    return a.value < b.value || (a.value == b.value && a.ts < b.ts);
  });
  if (f == "median") {
    const size_t n = sorted.size();
    out.value = n % 2
                    ? sorted[n / 2].value
                    : sorted[n / 2 - 1].value + (sorted[n / 2].value - sorted[n / 2 - 1].value) / 2;
    return out;
  }
  if (f == "percentile") {
    // Nearest rank: the point at floor(n * p / 100 + 0.5) - 1.
    const auto i = static_cast<int64_t>(
                       std::floor(static_cast<double>(sorted.size()) * argument / 100 + 0.5)) -
                   1;
    if (i < 0 || i >= static_cast<int64_t>(sorted.size())) return std::nullopt;
    out.value = sorted[static_cast<size_t>(i)].value;
    out.ts = sorted[static_cast<size_t>(i)].ts;
    return out;
  }
  return std::nullopt;
}

bool StoreAnswers(std::string_view f, size_t series) {
  if (f == "first" || f == "last") return series == 1;
  return f == "count" || f == "sum" || f == "mean" || f == "min" || f == "max" || f == "spread" ||
         f == "stddev";
}

uint32_t AggsFor(std::string_view f) {
  if (f == "first") return kAggFirst;
  if (f == "last") return kAggLast;
  if (f == "min") return kAggMin;
  if (f == "max") return kAggMax;
  if (f == "spread") return kAggMin | kAggMax;
  if (f == "stddev") return kAggCount | kAggMean | kAggStddev;
  return kAggCount | kAggSum | kAggMean;
}

std::optional<FunctionValue> FromBuckets(std::string_view f,
                                         std::span<const Bucket* const> buckets) {
  int64_t count = 0;
  double sum = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (const Bucket* b : buckets) {
    count += b->count;
    sum += b->sum;
    lo = std::min(lo, b->min);
    hi = std::max(hi, b->max);
  }
  if (count == 0) return std::nullopt;
  FunctionValue out;
  if (f == "count") {
    out.value = static_cast<double>(count);
    out.is_count = true;
  } else if (f == "sum") {
    out.value = sum;
  } else if (f == "mean") {
    out.value = buckets.size() == 1 ? buckets[0]->mean : sum / static_cast<double>(count);
  } else if (f == "min") {
    out.value = lo;
  } else if (f == "max") {
    out.value = hi;
  } else if (f == "spread") {
    out.value = hi - lo;
  } else if (f == "first") {
    out.value = buckets[0]->first;
  } else if (f == "last") {
    out.value = buckets[0]->last;
  } else if (f == "stddev") {
    if (count < 2) return std::nullopt;
    // The series' variances merged: sum of (n-1)·var plus n·(mean_i − mean)².
    double total_mean = 0;
    for (const Bucket* b : buckets)
      total_mean += b->mean * static_cast<double>(b->count);
    total_mean /= static_cast<double>(count);
    double m2 = 0;
    for (const Bucket* b : buckets) {
      if (b->count > 1) m2 += b->stddev * b->stddev * static_cast<double>(b->count - 1);
      m2 += static_cast<double>(b->count) * (b->mean - total_mean) * (b->mean - total_mean);
    }
    out.value = std::sqrt(m2 / static_cast<double>(count - 1));
  } else {
    return std::nullopt;
  }
  return out;
}

}  // namespace fh::api::influxql
