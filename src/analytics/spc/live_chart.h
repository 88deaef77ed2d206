// One characteristic's chart, judged live against its frozen limits (phase II) as values
// arrive: values are grouped into subgroups in arrival order, each subgroup's location (X̄
// or the value) goes through the run rules (RuleTracker) and its spread (R, S or the
// moving range) is checked against the spread chart's limits.
//
// What fires becomes an episode rather than one event per point: a rule that fires on
// consecutive subgroups (a process that stays beyond its limit, a run that keeps growing)
// is one episode from the point that completed the pattern to the last point that still
// fired, as an alarm system wants it. No allocation per value.
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
  int64_t points = 0;        // subgroups that fired it, one after another
  double value = 0;          // the charted statistic of the opening point
  bool active = false;       // the newest subgroup fired it too
};

class LiveChart {
 public:
  // `limits.chart` says which charts: "i-mr" (subgroups of 1), "xbar-r" or "xbar-s".
  LiveChart(const FrozenLimits& limits, RuleSet set, std::span<const int> enabled);

  // The next value; every limits.subgroup_size values make a subgroup, judged as it
  // completes, with the time of its first value. A value whose time is not after the last
  // one's is late (a retry, or a source writing out of order) and not judged: false.
  bool Add(TimestampNs ts, double value);
  // A whole recorded subgroup (inspections), judged at once. Late like Add.
  bool AddSubgroup(TimestampNs ts, std::span<const double> values);

  // Hands each episode that opened, grew or ended since the last call to `f`, once.
  template <typename F>
  void TakeChanged(F&& f) {
    for (const LiveEpisode& e : ended_)
      f(e);
    ended_.clear();
    for (size_t i = 0; i < kSlots; ++i) {
      if (dirty_ & (1u << i)) f(episodes_[i]);
    }
    dirty_ = 0;
  }

  // Values up to `ts` count as late: a chart that takes over from another (new limits)
  // continues where that one stopped.
  void ResumeAfter(TimestampNs ts) { last_ts_ = std::max(last_ts_, ts); }

  const FrozenLimits& limits() const { return limits_; }
  int64_t subgroups() const { return subgroups_; }  // judged
  int64_t episodes() const { return opened_; }      // opened
  int64_t late() const { return late_; }
  TimestampNs last_ts() const { return last_ts_; }

 private:
  static constexpr size_t kSlots = 9;  // 8 run rules and the spread chart's limits
  void JudgeSubgroup(TimestampNs ts, std::span<const double> values);
  void Judge(TimestampNs ts, double location, std::optional<double> spread);
  // Slot `slot` fired (or not) on the subgroup at `ts`.
  void Mark(size_t slot, bool fired, TimestampNs ts, TimestampNs first_ts, double value);

  FrozenLimits limits_;
  std::string_view location_chart_, spread_chart_;
  double location_sigma_ = 0;
  RuleTracker rules_;
  std::span<const RunRule> rule_info_;
  std::vector<double> pending_;  // values of the subgroup being gathered
  TimestampNs pending_ts_ = 0;
  std::optional<double> previous_;  // the last individual, for the moving range
  std::array<TimestampNs, RuleTracker::kWindow> ts_ring_{};  // subgroup times, as rules_'s
  std::array<LiveEpisode, kSlots> episodes_{};
  uint32_t dirty_ = 0;
  std::vector<LiveEpisode> ended_;  // ended and replaced before they were taken
  TimestampNs last_ts_ = INT64_MIN;
  int64_t subgroups_ = 0;
  int64_t late_ = 0;
  int64_t opened_ = 0;
};

}  // namespace fh::analytics::spc
