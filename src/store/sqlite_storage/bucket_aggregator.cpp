#include "store/sqlite_storage/bucket_aggregator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fh::sqlite {

namespace {
constexpr TimestampNs kMin = std::numeric_limits<TimestampNs>::min();
constexpr TimestampNs kMax = std::numeric_limits<TimestampNs>::max();
constexpr uint32_t kSummaryAggs = kAggCount | kAggMean | kAggMin | kAggMax | kAggSum;
}  // namespace

BucketAggregator::BucketAggregator(TimeRange range, int64_t every, uint32_t aggs)
    : range_(range), every_(every), aggs_(aggs) {}

TimestampNs BucketAggregator::BucketStart(TimestampNs t) const {
  if (every_ <= 0) return range_.from != kMin ? range_.from : t;
  TimestampNs q = t / every_;
  if (t % every_ < 0) --q;  // floor division: buckets align to the epoch for negative t too
  TimestampNs start;
  return __builtin_mul_overflow(q, every_, &start) ? kMin : start;
}

TimestampNs BucketAggregator::BucketEnd(TimestampNs start) const {
  if (every_ <= 0) return kMax;
  TimestampNs end;
  return __builtin_add_overflow(start, every_, &end) ? kMax : end;
}

void BucketAggregator::Open(TimestampNs start, double first_value) {
  cur_ = State{};
  cur_.start = start;
  cur_.first = first_value;
  cur_.min = std::numeric_limits<double>::infinity();
  cur_.max = -std::numeric_limits<double>::infinity();
  // Shifting by a value near the mean keeps the sum of squares from cancelling.
  cur_.shift = std::isfinite(first_value) ? first_value : 0;
  cur_end_ = BucketEnd(start);
  open_ = true;
}

void BucketAggregator::Close() {
  if (!open_) return;
  open_ = false;
  Bucket b;
  b.start = cur_.start;
  b.count = cur_.count;
  b.first = cur_.first;
  b.last = cur_.last;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (cur_.nan) {
    b.sum = b.min = b.max = b.mean = b.stddev = nan;
  } else {
    b.sum = cur_.sum;
    b.min = cur_.min;
    b.max = cur_.max;
    b.mean = cur_.sum / static_cast<double>(cur_.count);
    if (cur_.count >= 2) {
      double n = static_cast<double>(cur_.count);
      double var = (cur_.shifted_sq - cur_.shifted_sum * cur_.shifted_sum / n) / (n - 1);
      b.stddev = std::sqrt(std::max(var, 0.0));
    } else {
      b.stddev = nan;
    }
  }
  out_.push_back(b);
}

// Four independent accumulators: a single running sum, min and max are each a chain of
// dependent additions (4 cycles apiece), which would bound the scan at a point per chain
// latency. The sum's rounding then depends on the lane split, as it already does on chunk
// boundaries (summaries add per-chunk sums).
template <bool kStddev>
void BucketAggregator::Fold(std::span<const double> values) {
  constexpr size_t kLanes = 4;
  const double shift = cur_.shift;
  double sum[kLanes] = {cur_.sum, 0, 0, 0};
  double mn[kLanes] = {cur_.min, cur_.min, cur_.min, cur_.min};
  double mx[kLanes] = {cur_.max, cur_.max, cur_.max, cur_.max};
  double s1[kLanes] = {cur_.shifted_sum, 0, 0, 0};
  double s2[kLanes] = {cur_.shifted_sq, 0, 0, 0};
  bool nan = false;
  const size_t n = values.size();
  const double* v = values.data();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) {
      const double x = v[i + l];
      sum[l] += x;
      mn[l] = x < mn[l] ? x : mn[l];
      mx[l] = x > mx[l] ? x : mx[l];
      nan |= x != x;
      if constexpr (kStddev) {
        const double d = x - shift;
        s1[l] += d;
        s2[l] += d * d;
      }
    }
  }
  for (; i < n; ++i) {
    const double x = v[i];
    sum[0] += x;
    mn[0] = x < mn[0] ? x : mn[0];
    mx[0] = x > mx[0] ? x : mx[0];
    nan |= x != x;
    if constexpr (kStddev) {
      const double d = x - shift;
      s1[0] += d;
      s2[0] += d * d;
    }
  }
  cur_.sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  cur_.min = std::min(std::min(mn[0], mn[1]), std::min(mn[2], mn[3]));
  cur_.max = std::max(std::max(mx[0], mx[1]), std::max(mx[2], mx[3]));
  cur_.shifted_sum = (s1[0] + s1[1]) + (s1[2] + s1[3]);
  cur_.shifted_sq = (s2[0] + s2[1]) + (s2[2] + s2[3]);
  cur_.nan |= nan;
  cur_.count += static_cast<int64_t>(n);
  cur_.last = values.back();
}

void BucketAggregator::Add(std::span<const TimestampNs> ts, std::span<const double> values) {
  const size_t n = ts.size();
  size_t i = 0;
  while (i < n) {
    if (!open_ || ts[i] >= cur_end_) {
      Close();
      Open(BucketStart(ts[i]), values[i]);
    }
    size_t j = ts[n - 1] < cur_end_
                   ? n
                   : std::lower_bound(ts.begin() + i, ts.end(), cur_end_) - ts.begin();
    auto run = values.subspan(i, j - i);
    if (aggs_ & kAggStddev) {
      Fold<true>(run);
    } else {
      Fold<false>(run);
    }
    i = j;
  }
}

bool BucketAggregator::AddSummary(TimestampNs t_min, TimestampNs t_max, int64_t count, double min,
                                  double max, double sum) {
  if ((aggs_ & ~kSummaryAggs) != 0) return false;
  if (!open_ || t_min >= cur_end_) {
    TimestampNs start = BucketStart(t_min);
    if (t_max >= BucketEnd(start)) return false;
    Close();
    Open(start, 0);
  } else if (t_max >= cur_end_) {
    return false;
  }
  cur_.count += count;
  cur_.sum += sum;
  cur_.min = std::min(cur_.min, min);
  cur_.max = std::max(cur_.max, max);
  return true;
}

std::vector<Bucket> BucketAggregator::Finish() {
  Close();
  return std::move(out_);
}

}  // namespace fh::sqlite
