// The charts that accumulate evidence of small shifts (Montgomery chapter 9), on
// individual values against a target μ0 and a known or estimated σ:
//
//   EWMA   z_i = λ x_i + (1-λ) z_{i-1}, z_0 = μ0; limits μ0 ± L σ √(λ/(2-λ) (1-(1-λ)^{2i}))
//          (the exact, time-varying limits; they widen to the asymptotic ones)
//   CUSUM  the tabular (two one-sided) form: C+_i = max(0, x_i - (μ0 + Kσ) + C+_{i-1}),
//          C-_i = max(0, (μ0 - Kσ) - x_i + C-_{i-1}); a signal when either exceeds Hσ
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "analytics/spc/control_limits.h"
#include "common/status.h"

namespace fh::analytics::spc {

// The parameters of the EWMA and CUSUM a characteristic is judged by besides its Shewhart
// charts (spc.yaml's `ewma:` and `cusum:`, live in serve); μ0 and σ come from its limits.
struct EwmaParameters {
  double lambda = 0.2;
  double width = 3;  // L
};
struct CusumParameters {
  double k = 0.5;
  double h = 5;
};

struct EwmaOptions {
  double lambda = 0.2;  // in (0, 1]
  double width = 3;     // L
  double target = 0;    // μ0
  double sigma = 1;     // σ of one value, > 0
};

struct EwmaPoint {
  double z = 0;
  ControlLimits limits;
};

struct EwmaChart {
  std::vector<EwmaPoint> points;
  ControlLimits asymptotic;
  std::optional<size_t> first_signal;  // the first point outside its limits
};

Result<EwmaChart> Ewma(std::span<const double> values, const EwmaOptions& options);

struct CusumOptions {
  double k = 0.5;     // reference value, in σ
  double h = 5;       // decision interval, in σ
  double target = 0;  // μ0
  double sigma = 1;   // > 0
};

struct CusumChart {
  std::vector<double> upper;  // C+
  std::vector<double> lower;  // C-
  double decision = 0;        // H = h σ
  std::optional<size_t> first_signal;
  // For the first signal: how many periods the sum has been growing, the estimate of when
  // the shift began (Montgomery's N+ / N-).
  size_t run_length = 0;
};

Result<CusumChart> Cusum(std::span<const double> values, const CusumOptions& options);

}  // namespace fh::analytics::spc
