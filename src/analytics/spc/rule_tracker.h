// The run rules judged point by point, as a live chart's points arrive (serve's SPC
// monitor): the same rules and the same answers as CheckRulesStandardized over the whole
// sequence (tests/analytics/rule_tracker_test.cpp holds it to that), in constant time and
// memory per point. Run lengths are counted as they grow; the "k of m" rules look at the
// last m points, kept in a ring.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "analytics/spc/run_rules.h"

namespace fh::analytics::spc {

class RuleTracker {
 public:
  // `enabled`: rule numbers of the set to apply (empty: all of them).
  explicit RuleTracker(RuleSet set = RuleSet::kNelson, std::span<const int> enabled = {});

  // Adds the next point, in sigma units from the center (z = (x - center) / sigma), and
  // returns the rules it completes as a mask: bit n - 1 for rule n.
  uint32_t Push(double z);

  // How many points back from the newest (0: the newest) the pattern of rule `number`,
  // which the newest point completed, begins.
  size_t PatternStart(int number) const;
  // The newest points, 0 the newest, up to kWindow - 1 back.
  double z(size_t back) const { return ring_[(count_ - 1 - back) % kWindow]; }
  size_t count() const { return count_; }
  RuleSet set() const { return set_; }

  static constexpr size_t kWindow = 16;  // more than the longest pattern (15 points)

 private:
  // "count of the last length points beyond sigmas on the newest point's side".
  bool CountBeyond(size_t count, size_t length, double sigmas) const;

  RuleSet set_;
  uint32_t enabled_ = 0;
  std::array<double, kWindow> ring_{};
  size_t count_ = 0;
  // Lengths of the runs that end at the newest point.
  size_t above_ = 0, below_ = 0;            // points above / below the center line
  size_t rising_ = 0, falling_ = 0;         // steps up / down between points
  size_t alternating_ = 0;                  // pairs of steps of opposite sign
  size_t within_one_ = 0, beyond_one_ = 0;  // points within / beyond 1 sigma
};

}  // namespace fh::analytics::spc
