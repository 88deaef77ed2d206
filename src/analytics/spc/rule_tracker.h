// The run rules judged point by point, as a live chart's points arrive (serve's SPC
// monitor): the same rules and the same answers as CheckRulesStandardized over the whole
// sequence (tests/analytics/spc_live_chart_test.cpp holds it to that), in constant time and
// memory per point. Run lengths are counted as they grow; the "k of m" rules look at the
// last m points' positions beyond 1 and 2 sigma, kept as bits.
#pragma once

#include <cmath>
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
  // returns the rules it completes as a mask: bit n - 1 for rule n. Inline and without
  // branches on the data (a chart's points are noise, which a branch predictor cannot
  // guess): a live chart calls it for every value.
  uint32_t Push(double v) {
    const bool has_last = count_ > 0, has_two = count_ > 1;
    const double step = v - last_;
    Run(rising_, has_last & (v > last_));
    Run(falling_, has_last & (v < last_));
    Run(alternating_, has_two & (last_step_ * step < 0));
    last_step_ = step;
    last_ = v;
    count_ += 1;
    const double a = std::fabs(v);  // NaN stays NaN: every comparison with it is false
    Run(above_, v > 0);
    Run(below_, v < 0);
    Run(within_one_, a < 1);
    Run(beyond_one_, a > 1);
    // The last 8 points beyond 1 and 2 sigma on each side, the newest in bit 0.
    above_one_ = static_cast<uint8_t>((above_one_ << 1) | (v > 1));
    below_one_ = static_cast<uint8_t>((below_one_ << 1) | (v < -1));
    above_two_ = static_cast<uint8_t>((above_two_ << 1) | (v > 2));
    below_two_ = static_cast<uint8_t>((below_two_ << 1) | (v < -2));
    // "k of the last m beyond, on the newest point's side" (a table of bit counts: the
    // machine's popcount instruction is not in the baseline x86-64 the build targets).
    const uint32_t two_of_three =
        (count_ >= 3) & (((above_two_ & 1) & (kBits[above_two_ & 0x7] >= 2)) |
                         ((below_two_ & 1) & (kBits[below_two_ & 0x7] >= 2)));
    const uint32_t four_of_five =
        (count_ >= 5) & (((above_one_ & 1) & (kBits[above_one_ & 0x1f] >= 4)) |
                         ((below_one_ & 1) & (kBits[below_one_ & 0x1f] >= 4)));
    uint32_t fired = a > 3;
    if (set_ == RuleSet::kNelson) {
      fired |= uint32_t((above_ >= 9) | (below_ >= 9)) << 1;
      fired |= uint32_t((rising_ >= 5) | (falling_ >= 5)) << 2;
      fired |= uint32_t(alternating_ >= 12) << 3;
      fired |= two_of_three << 4;
      fired |= four_of_five << 5;
      fired |= uint32_t(within_one_ >= 15) << 6;
      fired |= uint32_t(beyond_one_ >= 8) << 7;
    } else {
      fired |= two_of_three << 1;
      fired |= four_of_five << 2;
      fired |= uint32_t((above_ >= 8) | (below_ >= 8)) << 3;
    }
    return fired & enabled_;
  }

  // How many points back from the newest (0: the newest) the pattern of rule `number`,
  // which the newest point completed, begins.
  size_t PatternStart(int number) const;
  size_t count() const { return count_; }
  RuleSet set() const { return set_; }

 private:
  static constexpr uint8_t kBits[32] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                        1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5};
  // Extends a run by one when `holds`, else ends it; saturating (a run that long has fired).
  static void Run(uint16_t& length, bool holds) {
    const auto longer = static_cast<uint16_t>(length + (length < UINT16_MAX));
    length = static_cast<uint16_t>(longer & -static_cast<uint16_t>(holds));
  }

  // Small, so that thousands of live charts stay in cache.
  double last_ = 0;       // the newest point
  double last_step_ = 0;  // the newest point less the one before
  size_t count_ = 0;
  uint32_t enabled_ = 0;
  RuleSet set_;  // one byte: the tracker fits in 48 with a live chart's hot state
  // Lengths of the runs that end at the newest point.
  uint16_t above_ = 0, below_ = 0;            // points above / below the center line
  uint16_t rising_ = 0, falling_ = 0;         // steps up / down between points
  uint16_t alternating_ = 0;                  // pairs of steps of opposite sign
  uint16_t within_one_ = 0, beyond_one_ = 0;  // points within / beyond 1 sigma
  uint8_t above_one_ = 0, below_one_ = 0, above_two_ = 0, below_two_ = 0;
};

}  // namespace fh::analytics::spc
