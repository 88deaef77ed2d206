#include <algorithm>
#include <cmath>

#include "ml/linear_model.h"

namespace fh::ml {

namespace {

// Softmax of row i's margins into p (K values); returns the margins' log-sum-exp.
double Softmax(const std::vector<double>& x, size_t d, size_t i, const std::vector<double>& beta,
               size_t classes, std::vector<double>& p) {
  const double* xi = x.data() + i * d;
  double top = -INFINITY;
  for (size_t k = 0; k < classes; ++k) {
    const double* b = beta.data() + k * (d + 1);
    double z = b[0];
    for (size_t j = 0; j < d; ++j)
      z += b[j + 1] * xi[j];
    p[k] = z;
    top = std::max(top, z);
  }
  double sum = 0;
  for (size_t k = 0; k < classes; ++k) {
    p[k] = std::exp(p[k] - top);
    sum += p[k];
  }
  for (size_t k = 0; k < classes; ++k)
    p[k] /= sum;
  return top + std::log(sum);
}

constexpr double kInterceptPenalty = 1e-6;

double PenalisedLoss(const std::vector<double>& x, size_t d, std::span<const double> y,
                     const std::vector<double>& w, size_t classes, double l2,
                     const std::vector<double>& beta) {
  std::vector<double> p(classes);
  double loss = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double lse = Softmax(x, d, i, beta, classes, p);
    const auto c = static_cast<size_t>(y[i]);
    const double* b = beta.data() + c * (d + 1);
    double z = b[0];
    for (size_t j = 0; j < d; ++j)
      z += b[j + 1] * x[i * d + j];
    loss += w[i] * (lse - z);
  }
  for (size_t k = 0; k < classes; ++k) {
    loss += 0.5 * kInterceptPenalty * beta[k * (d + 1)] * beta[k * (d + 1)];
    for (size_t j = 1; j <= d; ++j)
      loss += 0.5 * l2 * beta[k * (d + 1) + j] * beta[k * (d + 1) + j];
  }
  return loss;
}

}  // namespace

bool FitMultinomial(const std::vector<double>& x, size_t d, std::span<const double> y,
                    const std::vector<double>& w, size_t classes, const LinearOptions& options,
                    std::vector<double>& beta) {
  const size_t width = d + 1, m = classes * width, n = y.size();
  beta.assign(m, 0);
  std::vector<double> hessian(m * m), gradient(m), p(classes), xi(width);
  double loss = PenalisedLoss(x, d, y, w, classes, options.l2, beta);
  for (int it = 0; it < options.max_iterations; ++it) {
    std::fill(hessian.begin(), hessian.end(), 0);
    std::fill(gradient.begin(), gradient.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      Softmax(x, d, i, beta, classes, p);
      xi[0] = 1;
      std::copy_n(x.begin() + static_cast<ptrdiff_t>(i * d), d, xi.begin() + 1);
      const auto c = static_cast<size_t>(y[i]);
      for (size_t a = 0; a < classes; ++a) {
        const double residual = w[i] * ((a == c ? 1.0 : 0.0) - p[a]);
        for (size_t j = 0; j < width; ++j)
          gradient[a * width + j] += residual * xi[j];
        // The lower triangle: blocks b <= a, and within the diagonal block l <= j.
        for (size_t b = 0; b <= a; ++b) {
          const double curvature = w[i] * p[a] * ((a == b ? 1.0 : 0.0) - p[b]);
          if (curvature == 0) continue;
          for (size_t j = 0; j < width; ++j) {
            double* row = hessian.data() + (a * width + j) * m + b * width;
            const double cj = curvature * xi[j];
            const size_t end = a == b ? j + 1 : width;
            for (size_t l = 0; l < end; ++l)
              row[l] += cj * xi[l];
          }
        }
      }
    }
    for (size_t r = 0; r < m; ++r) {
      for (size_t s = 0; s < r; ++s)
        hessian[s * m + r] = hessian[r * m + s];
    }
    for (size_t k = 0; k < classes; ++k) {
      for (size_t j = 0; j < width; ++j) {
        const size_t r = k * width + j;
        const double penalty = j == 0 ? kInterceptPenalty : options.l2;
        hessian[r * m + r] += penalty;
        gradient[r] -= penalty * beta[r];
      }
    }
    if (!SolveSpd(hessian, gradient, m)) return false;
    // Newton's step, halved while it makes the loss worse (far from the optimum, a full
    // step of a softmax can overshoot).
    std::vector<double> next(m);
    double step = 1, next_loss = loss;
    for (int halving = 0; halving < 30; ++halving, step /= 2) {
      for (size_t r = 0; r < m; ++r)
        next[r] = beta[r] + step * gradient[r];
      next_loss = PenalisedLoss(x, d, y, w, classes, options.l2, next);
      if (next_loss <= loss) break;
    }
    double change = 0;
    for (size_t r = 0; r < m; ++r)
      change = std::max(change, std::abs(next[r] - beta[r]));
    beta = std::move(next);
    loss = next_loss;
    if (change < options.tolerance) break;
  }
  return true;
}

}  // namespace fh::ml
