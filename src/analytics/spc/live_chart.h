// One characteristic's chart, judged live against its frozen limits (phase II) as values
// arrive: values are grouped into subgroups in arrival order, each subgroup's location (X̄
// or the value) goes through the run rules (RuleTracker) and its spread (R, S or the
// moving range) is checked against the spread chart's limits.
//
// What fires becomes an episode rather than one event per point: a rule that keeps firing
// (a process that stays beyond its limit, a run that keeps growing, "two of three beyond 2
// sigma" again and again) is one episode from the point that completed the pattern to the
// last point that fired it. It ends when the rule has not fired for as many subgroups as
// its pattern spans (one for a point beyond the limits; three for "two of three"), so that
// an intermittent pattern is not a flood of events. As an alarm system wants it; no
// allocation per value.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "analytics/spc/rule_tracker.h"
#include "analytics/spc/spc_study.h"
#include "model/sample.h"

namespace fh::analytics::spc {

struct LiveEpisode {
  std::string_view chart;  // "xbar", "i", "r", "s", "mr"
  std::string_view rule;   // the run rule's id, or "beyond-limits" on the spread chart
  std::string_view what;
  TimestampNs first_ts = 0;  // of the first point of the pattern that opened it
  TimestampNs ts = 0;        // of the point that opened it (completed the pattern)
  TimestampNs last_ts = 0;   // of the newest point that fired it
  int64_t points = 0;        // subgroups that fired it
  double value = 0;          // the charted statistic of the opening point
  bool active = false;       // not ended yet
};

// How Add groups values into subgroups (subgrouping.h): by count (every_ns 0), or by time
// bucket, the first n of each (first_n) or all of them.
struct LiveGrouping {
  int64_t every_ns = 0;
  bool first_n = false;
};

class LiveChart {
 public:
  // `limits.chart` says which charts: "i-mr" (subgroups of 1), "xbar-r" or "xbar-s".
  LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled,
            LiveGrouping grouping = {});

  // The next value. By count, every limits.subgroup_size values make a subgroup, judged as
  // it completes; by time, a bucket's first n values as they complete it (first_n), or its
  // values when the next bucket's first value arrives, if they are as many as the limits'
  // subgroup size (else the bucket is left out). A subgroup has the time of its first
  // value. A value whose time is not after the last one's is late (a retry, or a source
  // writing out of order) and not judged: false.
  bool Add(TimestampNs ts, double value);
  // A whole recorded subgroup (inspections), judged at once. Late like Add.
  bool AddSubgroup(TimestampNs ts, std::span<const double> values);

  // Hands each episode that opened or ended since the last call to `f`, once; with
  // `grown`, also those that only grew (a longer run, a later last point): an alarm needs
  // the opening and the end at once, the growth of one still open can wait.
  template <typename F>
  void TakeChanged(F&& f, bool grown = true) {
    for (const LiveEpisode& e : ended_)
      f(e);
    ended_.clear();
    const uint32_t taken = dirty_ | (grown ? grown_ : 0);
    for (size_t i = 0; i < kSlots; ++i) {
      if (taken & (1u << i)) f(episodes_[i]);
    }
    dirty_ = 0;
    grown_ &= ~taken;
  }

  // Values up to `ts` count as late: a chart that takes over from another (new limits)
  // continues where that one stopped.
  void ResumeAfter(TimestampNs ts) { last_ts_ = std::max(last_ts_, ts); }

  const FrozenLimits& limits() const { return limits_; }
  int64_t subgroups() const { return subgroups_; }  // judged
  int64_t episodes() const { return opened_; }      // opened
  int64_t late() const { return late_; }
  int64_t left_out() const { return left_out_; }  // time buckets of another size
  TimestampNs last_ts() const { return last_ts_; }

 private:
  static constexpr size_t kSlots = 9;  // 8 run rules and the spread chart's limits
  void JudgeSubgroup(TimestampNs ts, std::span<const double> values);
  bool AddToBucket(TimestampNs ts, double value);
  void CloseBucket();
  void Judge(TimestampNs ts, double location, std::optional<double> spread);
  // Slot `slot` fired on the subgroup at `ts` (statistic `value`), or, when it did not,
  // its open episode has one more quiet subgroup.
  void Fired(size_t slot, TimestampNs ts, double value);
  void Quiet(size_t slot);

  // What every value touches comes first, together, so that a value costs few cache lines
  // (a server charts thousands of characteristics, their values interleaved).
  TimestampNs last_ts_ = INT64_MIN;
  int64_t subgroups_ = 0;
  double center_ = 0, location_sigma_ = 0;  // of the location chart
  ControlLimits spread_limits_;
  int n_ = 1;  // subgroup size
  bool has_previous_ = false;
  double previous_ = 0;  // the last individual, for the moving range
  uint32_t open_ = 0;    // slots with an episode not ended
  uint32_t dirty_ = 0;   // slots opened or ended since TakeChanged
  uint32_t grown_ = 0;   // slots whose open episode grew since TakeChanged
  LiveGrouping grouping_;
  RuleTracker rules_;
  // Subgroup times, by rules_.count(): back to the start of the longest pattern (15).
  static constexpr size_t kTimes = 16;
  std::array<TimestampNs, kTimes> ts_ring_{};
  std::array<uint32_t, kSlots> quiet_{};       // subgroups since the open episode last fired
  std::array<uint32_t, kSlots> ends_after_{};  // quiet subgroups that end an episode

  std::vector<double> pending_;  // values of the subgroup being gathered
  TimestampNs pending_ts_ = 0;
  int64_t bucket_ = INT64_MIN;  // by time: the bucket being gathered
  bool bucket_judged_ = false;  // by time, first n: its subgroup is judged already
  std::array<LiveEpisode, kSlots> episodes_{};
  std::vector<LiveEpisode> ended_;  // ended and replaced before they were taken
  int64_t late_ = 0;
  int64_t left_out_ = 0;
  int64_t opened_ = 0;
  FrozenLimits limits_;
  std::string_view location_chart_, spread_chart_;
  std::span<const RunRule> rule_info_;
};

}  // namespace fh::analytics::spc
