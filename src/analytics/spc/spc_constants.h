// The bias-correction constants of normal-theory control charts for subgroups of n
// observations: d2 = E[R]/σ and d3 = sd(R)/σ of the range R, c4 = E[S]/σ of the sample
// standard deviation S. Computed from the normal range distribution (numerical
// integration, exact to about 1e-7), not copied from a table; the tests check them against
// the published tables (ASTM E2587, Montgomery Appendix VI).
#pragma once

namespace fh::analytics::spc {

// Largest subgroup the range constants are computed for: beyond ~10 the range wastes
// information and X̄-S is the chart to use.
inline constexpr int kMaxRangeSubgroup = 50;

// n in [2, kMaxRangeSubgroup], NaN outside; thread-safe (computed once per n).
double D2(int n);
double D3(int n);
// n >= 2, NaN below.
double C4(int n);

}  // namespace fh::analytics::spc
