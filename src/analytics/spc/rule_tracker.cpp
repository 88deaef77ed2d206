#include "analytics/spc/rule_tracker.h"

#include <cmath>

namespace fh::analytics::spc {

RuleTracker::RuleTracker(RuleSet set, std::span<const int> enabled) : set_(set) {
  for (const RunRule& rule : RunRules(set)) {
    bool on = enabled.empty();
    for (int n : enabled)
      on = on || n == rule.number;
    if (on) enabled_ |= 1u << (rule.number - 1);
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
