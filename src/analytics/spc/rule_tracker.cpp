#include "analytics/spc/rule_tracker.h"

#include <bit>

namespace fh::analytics::spc {

RuleTracker::RuleTracker(RuleSet set, std::span<const int> enabled) : set_(set) {
  for (const RunRule& rule : RunRules(set)) {
    bool on = enabled.empty();
    for (int n : enabled)
      on = on || n == rule.number;
    if (on) enabled_ |= 1u << (rule.number - 1);
  }
}

size_t RuleTracker::PatternStart(int number) const {
  const RunRule& rule = RunRules(set_)[number - 1];
  const bool count_rule =
      set_ == RuleSet::kNelson ? number == 5 || number == 6 : number == 2 || number == 3;
  if (!count_rule) return rule.length - 1;
  // The "k of m" rules' pattern is their points beyond the limit, on the newest point's
  // side: it begins at the oldest of them in the window.
  const bool two = set_ == RuleSet::kNelson ? number == 5 : number == 2;
  const bool above = two ? (above_two_ & 1) : (above_one_ & 1);
  const unsigned bits =
      (two ? (above ? above_two_ : below_two_) : (above ? above_one_ : below_one_)) &
      ((1u << rule.length) - 1);
  return static_cast<size_t>(std::bit_width(bits)) - 1;
}

}  // namespace fh::analytics::spc
