#include "ml/pca/pca_limits.h"

#include <cmath>

#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>

namespace fh::ml {

double HotellingT2Limit(size_t components, size_t rows, double alpha) {
  const auto k = static_cast<double>(components);
  const auto n = static_cast<double>(rows);
  if (components == 0 || rows <= components) return INFINITY;
  const boost::math::fisher_f_distribution<double> f(k, n - k);
  return k * (n * n - 1) / (n * (n - k)) * boost::math::quantile(f, 1 - alpha);
}

double SpeLimit(std::span<const double> residual_eigenvalues, double alpha) {
  double theta[3] = {0, 0, 0};
  for (double l : residual_eigenvalues) {
    if (l <= 0) continue;  // rounding of a rank-deficient covariance
    theta[0] += l;
    theta[1] += l * l;
    theta[2] += l * l * l;
  }
  if (theta[0] <= 0) return 0;
  const double h0 = 1 - 2 * theta[0] * theta[2] / (3 * theta[1] * theta[1]);
  const double c = boost::math::quantile(boost::math::normal_distribution<double>(), 1 - alpha);
  const double inner = c * std::sqrt(2 * theta[1] * h0 * h0) / theta[0] + 1 +
                       theta[1] * h0 * (h0 - 1) / (theta[0] * theta[0]);
  return theta[0] * std::pow(inner, 1 / h0);
}

}  // namespace fh::ml
