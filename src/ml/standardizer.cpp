#include "ml/standardizer.h"

#include <cmath>

namespace fh::ml {

void Standardizer::Fit(const Dataset& data) {
  const size_t d = data.cols();
  mean_.assign(d, 0);
  scale_.assign(d, 1);
  std::vector<double> count(d, 0), m2(d, 0);
  // Welford, per column, skipping missing values.
  for (size_t i = 0; i < data.rows(); ++i) {
    const std::span<const float> r = data.row(i);
    for (size_t j = 0; j < d; ++j) {
      if (std::isnan(r[j])) continue;
      const double v = r[j];
      count[j] += 1;
      const double delta = v - mean_[j];
      mean_[j] += delta / count[j];
      m2[j] += delta * (v - mean_[j]);
    }
  }
  for (size_t j = 0; j < d; ++j) {
    const double sd = count[j] > 0 ? std::sqrt(m2[j] / count[j]) : 0;
    scale_[j] = sd > 1e-12 ? sd : 1;
  }
}

std::vector<double> Standardizer::Transform(const Dataset& data) const {
  const size_t d = data.cols();
  std::vector<double> out(data.rows() * d);
  for (size_t i = 0; i < data.rows(); ++i) {
    const std::span<const float> r = data.row(i);
    for (size_t j = 0; j < d; ++j) {
      out[i * d + j] = std::isnan(r[j]) ? 0 : (r[j] - mean_[j]) / scale_[j];
    }
  }
  return out;
}

}  // namespace fh::ml
