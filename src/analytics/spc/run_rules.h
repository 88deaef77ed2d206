// Run rules: patterns in a control chart's sequence of points that a stable process would
// rarely show, judged in zones of the chart's own sigma (the distance from the center line
// to a 3-sigma limit, divided by 3).
//
// Nelson (1984), the eight:                  Western Electric (1956), the four:
//  1 one point beyond 3σ                      1 one point beyond 3σ
//  2 nine in a row on one side of the center  2 two of three in a row beyond 2σ, one side
//  3 six in a row steadily rising or falling  3 four of five in a row beyond 1σ, one side
//  4 fourteen in a row alternating up, down   4 eight in a row on one side of the center
//  5 two of three beyond 2σ, one side
//  6 four of five beyond 1σ, one side
//  7 fifteen in a row within 1σ
//  8 eight in a row beyond 1σ, either side
//
// A rule fires at the point that completes its pattern; a long run fires at each point
// that extends it, so that a live chart can say so as each point arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "analytics/spc/control_limits.h"

namespace fh::analytics::spc {

enum class RuleSet : uint8_t { kNelson, kWesternElectric };

// A rule of a set: its number in the set, its id, what it looks for, and how many points
// its pattern spans (the window it is judged in).
struct RunRule {
  int number = 0;
  std::string_view id;    // "nelson-1" ... "nelson-8", "we-1" ... "we-4"
  std::string_view what;  // "one point beyond 3 sigma"
  size_t length = 0;
};
// The set's rules, by number (index 0 is rule 1).
std::span<const RunRule> RunRules(RuleSet set);

struct RuleViolation {
  std::string_view rule;       // "nelson-1" ... "nelson-8", "we-1" ... "we-4"
  std::string_view what;       // "one point beyond 3 sigma"
  size_t point = 0;            // the point that completes the pattern
  std::vector<size_t> points;  // every point of the pattern, in order
};

// `limits`: the chart's center and 3-sigma limits (per point the same). `enabled`: rule
// numbers of the set to apply (empty: all of them).
std::vector<RuleViolation> CheckRules(std::span<const double> values, const ControlLimits& limits,
                                      RuleSet set, std::span<const int> enabled = {});
// The same on points already in sigma units from the center (z = (x - center) / sigma),
// for charts whose limits vary per point (p and u charts of varying subgroup sizes).
std::vector<RuleViolation> CheckRulesStandardized(std::span<const double> z, RuleSet set,
                                                  std::span<const int> enabled = {});

}  // namespace fh::analytics::spc
