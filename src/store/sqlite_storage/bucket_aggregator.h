// BucketAggregator: folds a tag's points (in timestamp order) into epoch-aligned buckets.
// Pure computation, no storage: the hot loop of aggregate queries.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "store/storage.h"

namespace fh::sqlite {

class BucketAggregator {
 public:
  // every == 0: one bucket for the whole range, starting at range.from (or at the first
  // point when from is unbounded).
  BucketAggregator(TimeRange range, int64_t every, uint32_t aggs);

  // Points must come in increasing timestamp order across calls, all inside the range.
  void Add(std::span<const TimestampNs> ts, std::span<const double> values);
  // A run of `count` points in [t_min, t_max] whose statistics are known. Returns false
  // (and changes nothing) if the run spans buckets or the requested aggregates need the
  // points themselves.
  bool AddSummary(TimestampNs t_min, TimestampNs t_max, int64_t count, double min, double max,
                  double sum);
  // Buckets complete so far (not counting the one being filled).
  size_t complete() const { return out_.size(); }
  // Finishes and returns the buckets in time order.
  std::vector<Bucket> Finish();

 private:
  struct State {
    TimestampNs start = 0;
    int64_t count = 0;
    double sum = 0, min = 0, max = 0, first = 0, last = 0;
    double shift = 0, shifted_sum = 0, shifted_sq = 0;  // for stddev (shifted data)
    bool nan = false;
  };
  // Start of the bucket holding t, and the start of the next one (saturating).
  TimestampNs BucketStart(TimestampNs t) const;
  TimestampNs BucketEnd(TimestampNs start) const;
  void Open(TimestampNs start, double first_value);
  void Close();
  template <bool kStddev>
  void Fold(std::span<const double> values);

  TimeRange range_;
  int64_t every_;
  uint32_t aggs_;
  bool open_ = false;
  State cur_;
  TimestampNs cur_end_ = 0;
  std::vector<Bucket> out_;
};

}  // namespace fh::sqlite
