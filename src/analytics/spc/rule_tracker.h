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
  // returns the rules it completes as a mask: bit n - 1 for rule n. Inline: a live chart
  // calls it for every value.
  uint32_t Push(double v) {
    if (count_ > 0) {
      const double last = z(0);
      Run(rising_, v > last);
      Run(falling_, v < last);
      if (count_ > 1) Run(alternating_, (last - z(1)) * (v - last) < 0);
    }
    ring_[count_ % kWindow] = v;
    ++count_;
    const double a = v < 0 ? -v : v;  // NaN stays NaN: every comparison below is false
    Run(above_, v > 0);
    Run(below_, v < 0);
    Run(within_one_, a < 1);
    Run(beyond_one_, a > 1);
    uint32_t fired = a > 3 ? 1u : 0u;
    // The "k of m beyond" rules end on a point beyond: most points skip them.
    const bool beyond_two = a > 2, beyond_one = a > 1;
    if (set_ == RuleSet::kNelson) {
      if (above_ >= 9 || below_ >= 9) fired |= 1u << 1;
      if (rising_ >= 5 || falling_ >= 5) fired |= 1u << 2;
      if (alternating_ >= 12) fired |= 1u << 3;
      if (beyond_two && CountBeyond(2, 3, 2)) fired |= 1u << 4;
      if (beyond_one && CountBeyond(4, 5, 1)) fired |= 1u << 5;
      if (within_one_ >= 15) fired |= 1u << 6;
      if (beyond_one_ >= 8) fired |= 1u << 7;
    } else {
      if (beyond_two && CountBeyond(2, 3, 2)) fired |= 1u << 1;
      if (beyond_one && CountBeyond(4, 5, 1)) fired |= 1u << 2;
      if (above_ >= 8 || below_ >= 8) fired |= 1u << 3;
    }
    return fired & enabled_;
  }

  // How many points back from the newest (0: the newest) the pattern of rule `number`,
  // which the newest point completed, begins.
  size_t PatternStart(int number) const;
  // The newest points, 0 the newest, up to kWindow - 1 back.
  double z(size_t back) const { return ring_[(count_ - 1 - back) % kWindow]; }
  size_t count() const { return count_; }
  RuleSet set() const { return set_; }

  // More than the points a "k of m" rule looks at (5); the other rules count runs.
  static constexpr size_t kWindow = 8;

 private:
  // Extends a run by one when `holds`, else ends it (saturating: a run that long has fired).
  static void Run(uint16_t& length, bool holds) {
    length = holds ? static_cast<uint16_t>(length + (length < UINT16_MAX)) : 0;
  }
  // "count of the last length points beyond sigmas on the newest point's side".
  bool CountBeyond(size_t count, size_t length, double sigmas) const;

  // Small, so that thousands of live charts stay in cache.
  std::array<double, kWindow> ring_{};
  size_t count_ = 0;
  uint32_t enabled_ = 0;
  RuleSet set_;
  // Lengths of the runs that end at the newest point.
  uint16_t above_ = 0, below_ = 0;            // points above / below the center line
  uint16_t rising_ = 0, falling_ = 0;         // steps up / down between points
  uint16_t alternating_ = 0;                  // pairs of steps of opposite sign
  uint16_t within_one_ = 0, beyond_one_ = 0;  // points within / beyond 1 sigma
};

}  // namespace fh::analytics::spc
