// One characteristic's chart, judged live against its frozen limits (phase II) as values
// arrive: values are grouped into subgroups in arrival order, each subgroup's location (X̄
// or the value) goes through the run rules (RuleTracker) and its spread (R, S or the
// moving range) is checked against the spread chart's limits. When asked, the location
// also goes into an EWMA (its exact, time-varying limits, from the first phase-II subgroup)
// and a tabular CUSUM, both against the limits' center and σ within / √n: the same
// statistics a study computes (time_weighted.h) over the same subgroups.
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

#include "analytics/spc/attribute_study.h"
#include "analytics/spc/rule_tracker.h"
#include "analytics/spc/spc_study.h"
#include "analytics/spc/time_weighted.h"
#include "model/sample.h"

namespace fh::analytics::spc {

struct LiveEpisode {
  std::string_view chart;  // "xbar", "i", "r", "s", "mr", "ewma", "cusum"
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

// The charts that catch a small sustained shift, judged beside the Shewhart charts. An
// EWMA outside its limits is chart "ewma", rule "beyond-limits"; C+ or C- above the
// decision interval is chart "cusum", rule "upper" or "lower", its episode beginning where
// the sum last left zero (when the shift began, Montgomery's N+ / N-).
struct LiveTimeWeighted {
  std::optional<EwmaParameters> ewma;
  std::optional<CusumParameters> cusum;
};

class alignas(64) LiveChart {
 public:
  // `limits.chart` says which charts: "i-mr" (subgroups of 1), "xbar-r" or "xbar-s", or an
  // attribute chart, "p", "np", "c" or "u" (its center in limits.location.center, the
  // subgroup size np and c chart in limits.subgroup_size): judged by AddCounts only.
  LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled,
            LiveGrouping grouping = {}, LiveTimeWeighted time_weighted = {});

  // The next value. By count, every limits.subgroup_size values make a subgroup, judged as
  // it completes; by time, a bucket's first n values as they complete it (first_n), or its
  // values when the next bucket's first value arrives, if they are as many as the limits'
  // subgroup size (else the bucket is left out). A subgroup has the time of its first
  // value. A value whose time is not after the last one's is late (a retry, or a source
  // writing out of order) and not judged: false.
  bool Add(TimestampNs ts, double value);
  // Add for each value of a run, in order (the values of one tag in a stored batch).
  void AddRun(std::span<const TimestampNs> ts, std::span<const double> values);
  // A whole recorded subgroup (inspections), judged at once. Late like Add.
  bool AddSubgroup(TimestampNs ts, std::span<const double> values);
  // An attribute chart's next subgroup: `inspected` units of which `failed` failed, judged
  // against the limits around the center for its size (attribute_study.h), as the study
  // judges it: outside them is an episode of the chart's "beyond-limits" (no run rules).
  // np and c chart one size: another is left out (left_out), as the study leaves it out.
  // Late like Add.
  bool AddCounts(TimestampNs ts, int64_t inspected, int64_t failed);
  bool attribute() const { return mode_ == Mode::kAttribute; }

  // Asks the processor for the memory the next Add touches, so that a caller about to
  // judge several charts in turn overlaps one's fetch with another's judging.
  void Prefetch() const {
    const char* p = reinterpret_cast<const char*>(this);
    for (size_t line = 0; line < kHotLines; ++line)
      __builtin_prefetch(p + 64 * line, 1);
  }

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

  // TakeChanged into `out`, which must be empty: it gets the chart's list of ended episodes
  // by a swap and the chart gets out's storage back, so that a monitor taking every chart's
  // episodes while the ingest waits copies only the few still open.
  void TakeChangedInto(std::vector<LiveEpisode>& out, bool grown) {
    out.swap(ended_);
    TakeChanged([&](const LiveEpisode& e) { out.push_back(e); }, grown);
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
  // The run rules (slot = number - 1), the spread chart's limits (an attribute chart's),
  // EWMA, CUSUM up and down.
  static constexpr size_t kSpreadSlot = 8, kEwmaSlot = 9, kCusumUpSlot = 10, kCusumDownSlot = 11,
                          kSlots = 12;
  enum class Mode : uint8_t { kIndividuals, kByCount, kByTime, kAttribute };

  void JudgeSubgroup(TimestampNs ts, std::span<const double> values);
  void JudgeIndividual(TimestampNs ts, double value);
  bool AddToBucket(TimestampNs ts, double value);
  void CloseBucket();
  void Judge(TimestampNs ts, double location, double spread, bool has_spread);
  // Opens, grows or ends the episodes of the slots that `fired` or are open.
  void UpdateEpisodes(TimestampNs ts, uint32_t fired, double location, double spread);
  // The EWMA and CUSUM of the next location: the slots that fired.
  uint32_t JudgeTimeWeighted(TimestampNs ts, double location);
  // Slot `slot` fired on the subgroup at `ts` (its location and spread), or, when it did
  // not, its open episode has one more quiet subgroup.
  void Fired(size_t slot, TimestampNs ts, double location, double spread);
  void Quiet(size_t slot);

  // What a value touches is in the object's first four cache lines (it is aligned to
  // them): the state below and one entry of the time ring. A server charts thousands of
  // characteristics, their values interleaved; fetching a chart from memory costs more
  // than judging a value, so it is fetched ahead (Prefetch) and kept to few lines.
  TimestampNs last_ts_ = INT64_MIN;
  int64_t subgroups_ = 0;
  double center_ = 0, location_sigma_ = 0;  // of the location chart
  double spread_lower_ = 0, spread_upper_ = 0;
  double previous_ = 0;  // the last individual, for the moving range
  int32_t n_ = 1;        // subgroup size
  uint32_t open_ = 0;    // slots with an episode not ended
  RuleTracker rules_;    // (the second line)
  Mode mode_ = Mode::kIndividuals;
  bool has_previous_ = false;
  bool time_weighted_ = false;  // an EWMA or a CUSUM to judge
  uint32_t dirty_ = 0;          // slots opened or ended since TakeChanged
  uint32_t grown_ = 0;          // slots whose open episode grew since TakeChanged
  // Subgroup times, by rules_.count(): back to the start of the longest pattern (15).
  static constexpr size_t kTimes = 16;
  std::array<TimestampNs, kTimes> ts_ring_{};  // (the third and fourth lines)
  static constexpr size_t kHotLines = 4;

  // EWMA and CUSUM, when asked for (off: has_* false). Their σ is that of one location.
  struct TimeWeightedState {
    bool has_ewma = false, has_cusum = false;
    double lambda = 0, ewma_half = 0;  // the asymptotic limits' half width
    double decay = 1;                  // (1-λ)^{2i}
    double z = 0;
    double up = 0, down = 0, decision = 0;         // μ0 ± kσ, H = hσ
    double upper = 0, lower = 0;                   // C+, C-
    TimestampNs upper_since = 0, lower_since = 0;  // where each last left zero
  } tw_;

  std::optional<AttributeChart> attribute_;  // with Mode::kAttribute

  std::array<uint32_t, kSlots> quiet_{};       // subgroups since the open episode last fired
  std::array<uint32_t, kSlots> ends_after_{};  // quiet subgroups that end an episode
  LiveGrouping grouping_;
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
