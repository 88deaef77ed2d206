#include "analytics/spc/time_weighted.h"

#include <algorithm>
#include <cmath>

namespace fh::analytics::spc {

Result<EwmaChart> Ewma(std::span<const double> values, const EwmaOptions& options) {
  if (!(options.lambda > 0 && options.lambda <= 1)) {
    return InvalidArgument("EWMA: lambda {} is not in (0, 1]", options.lambda);
  }
  if (!(options.sigma > 0)) return InvalidArgument("EWMA: sigma {} is not positive", options.sigma);
  const double lambda = options.lambda;
  const double spread = options.width * options.sigma * std::sqrt(lambda / (2 - lambda));
  EwmaChart chart;
  chart.asymptotic = {options.target, options.target - spread, options.target + spread};
  double z = options.target;
  double decay = 1;  // (1-λ)^{2i}
  for (size_t i = 0; i < values.size(); ++i) {
    z = lambda * values[i] + (1 - lambda) * z;
    decay *= (1 - lambda) * (1 - lambda);
    const double half = spread * std::sqrt(1 - decay);
    EwmaPoint p{z, {options.target, options.target - half, options.target + half}};
    if (!chart.first_signal && !p.limits.Contains(z)) chart.first_signal = i;
    chart.points.push_back(p);
  }
  return chart;
}

Result<CusumChart> Cusum(std::span<const double> values, const CusumOptions& options) {
  if (!(options.sigma > 0)) {
    return InvalidArgument("CUSUM: sigma {} is not positive", options.sigma);
  }
  if (!(options.h > 0) || options.k < 0) {
    return InvalidArgument("CUSUM: k {} and h {} must be k >= 0, h > 0", options.k, options.h);
  }
  CusumChart chart;
  chart.decision = options.h * options.sigma;
  const double up = options.target + options.k * options.sigma;
  const double down = options.target - options.k * options.sigma;
  double hi = 0, lo = 0;
  size_t hi_run = 0, lo_run = 0;  // consecutive periods each sum has been above zero
  for (size_t i = 0; i < values.size(); ++i) {
    hi = std::max(0.0, values[i] - up + hi);
    lo = std::max(0.0, down - values[i] + lo);
    hi_run = hi > 0 ? hi_run + 1 : 0;
    lo_run = lo > 0 ? lo_run + 1 : 0;
    chart.upper.push_back(hi);
    chart.lower.push_back(lo);
    if (!chart.first_signal && (hi > chart.decision || lo > chart.decision)) {
      chart.first_signal = i;
      chart.run_length = hi > chart.decision ? hi_run : lo_run;
    }
  }
  return chart;
}

}  // namespace fh::analytics::spc
