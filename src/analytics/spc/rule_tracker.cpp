#include "analytics/spc/rule_tracker.h"

#include <cmath>

namespace fh::analytics::spc {
namespace {

constexpr uint32_t Bit(int number) {
  return uint32_t{1} << (number - 1);
}

// Extends a run by one when `holds`, else ends it.
void Run(size_t& length, bool holds) {
  length = holds ? length + 1 : 0;
}

}  // namespace

RuleTracker::RuleTracker(RuleSet set, std::span<const int> enabled) : set_(set) {
  for (const RunRule& rule : RunRules(set)) {
    bool on = enabled.empty();
    for (int n : enabled)
      on = on || n == rule.number;
    if (on) enabled_ |= Bit(rule.number);
  }
}

bool RuleTracker::CountBeyond(size_t count, size_t length, double sigmas) const {
  if (count_ < length) return false;
  const double newest = z(0);
  const double side = newest > sigmas ? 1 : newest < -sigmas ? -1 : 0;
  if (side == 0) return false;
  size_t hits = 0;
  for (size_t back = 0; back < length; ++back)
    hits += side * z(back) > sigmas;
  return hits >= count;
}

uint32_t RuleTracker::Push(double v) {
  if (count_ > 0) {
    const double step = v - z(0);
    Run(rising_, v > z(0));
    Run(falling_, v < z(0));
    if (count_ > 1) {
      const double previous_step = z(0) - z(1);
      Run(alternating_, previous_step * step < 0);
    }
  }
  ring_[count_ % kWindow] = v;
  ++count_;
  Run(above_, v > 0);
  Run(below_, v < 0);
  Run(within_one_, std::abs(v) < 1);
  Run(beyond_one_, std::abs(v) > 1);

  uint32_t fired = 0;
  if (std::abs(v) > 3) fired |= Bit(1);
  if (set_ == RuleSet::kNelson) {
    if (above_ >= 9 || below_ >= 9) fired |= Bit(2);
    if (rising_ >= 5 || falling_ >= 5) fired |= Bit(3);
    if (alternating_ >= 12) fired |= Bit(4);
    if (CountBeyond(2, 3, 2)) fired |= Bit(5);
    if (CountBeyond(4, 5, 1)) fired |= Bit(6);
    if (within_one_ >= 15) fired |= Bit(7);
    if (beyond_one_ >= 8) fired |= Bit(8);
  } else {
    if (CountBeyond(2, 3, 2)) fired |= Bit(2);
    if (CountBeyond(4, 5, 1)) fired |= Bit(3);
    if (above_ >= 8 || below_ >= 8) fired |= Bit(4);
  }
  return fired & enabled_;
}

size_t RuleTracker::PatternStart(int number) const {
  const RunRule& rule = RunRules(set_)[number - 1];
  const bool count_rule =
      set_ == RuleSet::kNelson ? number == 5 || number == 6 : number == 2 || number == 3;
  if (!count_rule) return rule.length - 1;
  // The "k of m" rules' pattern is their points beyond the limit: it begins at the oldest.
  const double sigmas = (set_ == RuleSet::kNelson ? number == 5 : number == 2) ? 2 : 1;
  const double side = z(0) > 0 ? 1 : -1;
  size_t start = 0;
  for (size_t back = 0; back < rule.length; ++back) {
    if (side * z(back) > sigmas) start = back;
  }
  return start;
}

}  // namespace fh::analytics::spc
