#include "ml/preprocess/regimes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace fh::ml {
namespace regimes_detail {

double Distance2(std::span<const double> a, std::span<const double> b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i)
    d += (a[i] - b[i]) * (a[i] - b[i]);
  return d;
}

// The row's settings in scaled units; false when one is missing.
bool Scaled(const RegimeModel& m, std::span<const float> row, std::vector<double>& out) {
  out.resize(m.columns.size());
  for (size_t j = 0; j < m.columns.size(); ++j) {
    const float v = row[m.columns[j]];
    if (std::isnan(v)) return false;
    out[j] = (v - m.mean[j]) / m.scale[j];
  }
  return true;
}

size_t Nearest(const std::vector<std::vector<double>>& centres, std::span<const double> p) {
  size_t best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < centres.size(); ++c) {
    const double d = Distance2(centres[c], p);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace regimes_detail

int RegimeModel::Assign(std::span<const float> row) const {
  std::vector<double> p;
  if (!regimes_detail::Scaled(*this, row, p)) return -1;
  return static_cast<int>(regimes_detail::Nearest(centres, p));
}

std::vector<int> RegimeModel::AssignAll(const Dataset& data) const {
  std::vector<int> out(data.rows());
  for (size_t i = 0; i < data.rows(); ++i)
    out[i] = Assign(data.row(i));
  return out;
}

Result<RegimeModel> FitRegimes(const Dataset& data, std::span<const size_t> rows,
                               std::span<const size_t> columns, const KMeansOptions& options) {
  using regimes_detail::Distance2;
  if (options.k < 1) return InvalidArgument("regimes: k must be at least 1, not {}", options.k);
  RegimeModel m;
  m.columns.assign(columns.begin(), columns.end());
  const size_t d = columns.size();
  for (size_t c : columns) {
    if (c >= data.cols()) return InvalidArgument("regimes: no column {}", c);
  }
  // The settings' scale: mean and standard deviation over the complete training rows.
  std::vector<size_t> complete;
  for (size_t i : rows) {
    bool ok = true;
    for (size_t c : columns)
      ok = ok && !std::isnan(data.row(i)[c]);
    if (ok) complete.push_back(i);
  }
  if (complete.size() < static_cast<size_t>(options.k)) {
    return InvalidArgument("regimes: {} training rows with every setting, fewer than k = {}",
                           complete.size(), options.k);
  }
  m.mean.assign(d, 0);
  m.scale.assign(d, 1);
  for (size_t j = 0; j < d; ++j) {
    double sum = 0, sum2 = 0;
    for (size_t i : complete) {
      const double v = data.row(i)[columns[j]];
      sum += v;
      sum2 += v * v;
    }
    const double n = static_cast<double>(complete.size());
    m.mean[j] = sum / n;
    const double var = std::max(0.0, sum2 / n - m.mean[j] * m.mean[j]);
    m.scale[j] = var > 1e-24 ? std::sqrt(var) : 1;
  }
  std::vector<std::vector<double>> points(complete.size());
  for (size_t p = 0; p < complete.size(); ++p)
    regimes_detail::Scaled(m, data.row(complete[p]), points[p]);

  // k-means++: each next centre drawn with probability proportional to its squared distance
  // to the nearest centre so far.
  std::mt19937_64 rng(options.seed);
  m.centres.push_back(points[std::uniform_int_distribution<size_t>(0, points.size() - 1)(rng)]);
  std::vector<double> nearest(points.size(), std::numeric_limits<double>::infinity());
  while (m.centres.size() < static_cast<size_t>(options.k)) {
    double total = 0;
    for (size_t p = 0; p < points.size(); ++p) {
      nearest[p] = std::min(nearest[p], Distance2(points[p], m.centres.back()));
      total += nearest[p];
    }
    size_t pick = 0;
    if (total > 0) {
      double r = std::uniform_real_distribution<double>(0, total)(rng);
      for (pick = 0; pick + 1 < points.size() && r >= nearest[pick]; ++pick)
        r -= nearest[pick];
    }
    m.centres.push_back(points[pick]);
  }
  // Lloyd's iterations until no point changes its centre.
  std::vector<size_t> owner(points.size(), SIZE_MAX);
  for (int it = 0; it < options.max_iterations; ++it) {
    bool moved = false;
    for (size_t p = 0; p < points.size(); ++p) {
      const size_t c = regimes_detail::Nearest(m.centres, points[p]);
      moved = moved || c != owner[p];
      owner[p] = c;
    }
    if (!moved) break;
    std::vector<std::vector<double>> sum(m.centres.size(), std::vector<double>(d, 0));
    std::vector<size_t> count(m.centres.size(), 0);
    for (size_t p = 0; p < points.size(); ++p) {
      for (size_t j = 0; j < d; ++j)
        sum[owner[p]][j] += points[p][j];
      ++count[owner[p]];
    }
    for (size_t c = 0; c < m.centres.size(); ++c) {
      if (count[c] == 0) continue;  // an empty cluster keeps its centre
      for (size_t j = 0; j < d; ++j)
        m.centres[c][j] = sum[c][j] / static_cast<double>(count[c]);
    }
  }
  // Regime numbers by their centres' settings, not by the seeding's draw: the same regimes
  // get the same numbers in every fold.
  std::sort(m.centres.begin(), m.centres.end());
  return m;
}

double MeanSilhouette(const RegimeModel& model, const Dataset& data,
                      std::span<const size_t> sample) {
  const size_t k = model.centres.size();
  if (k < 2) return 0;
  std::vector<std::vector<double>> points;
  std::vector<size_t> owner;
  for (size_t i : sample) {
    std::vector<double> p;
    if (!regimes_detail::Scaled(model, data.row(i), p)) continue;
    owner.push_back(regimes_detail::Nearest(model.centres, p));
    points.push_back(std::move(p));
  }
  if (points.empty()) return 0;
  double total = 0;
  std::vector<double> sum(k);
  std::vector<size_t> count(k);
  for (size_t p = 0; p < points.size(); ++p) {
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(count.begin(), count.end(), size_t{0});
    for (size_t q = 0; q < points.size(); ++q) {
      if (q == p) continue;
      sum[owner[q]] += std::sqrt(regimes_detail::Distance2(points[p], points[q]));
      ++count[owner[q]];
    }
    // A row alone in its cluster scores 0, as usual.
    if (count[owner[p]] == 0) continue;
    const double a = sum[owner[p]] / static_cast<double>(count[owner[p]]);
    double b = std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < k; ++c) {
      if (c != owner[p] && count[c] > 0) b = std::min(b, sum[c] / static_cast<double>(count[c]));
    }
    if (!std::isfinite(b)) continue;
    const double denominator = std::max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / static_cast<double>(points.size());
}

RegimeNormalizer RegimeNormalizer::Fit(const Dataset& data, std::span<const size_t> rows,
                                       std::span<const int> regime_of_row,
                                       std::span<const size_t> features, RegimeScaling scaling,
                                       int regimes) {
  RegimeNormalizer n;
  n.features_.assign(features.begin(), features.end());
  const size_t groups = static_cast<size_t>(std::max(regimes, 0)) + 1;  // + all rows
  const size_t all = groups - 1;
  const size_t f = features.size();
  std::vector<std::vector<double>> count(groups, std::vector<double>(f, 0));
  std::vector<std::vector<double>> sum = count, sum2 = count;
  std::vector<std::vector<double>> lo(
      groups, std::vector<double>(f, std::numeric_limits<double>::infinity()));
  std::vector<std::vector<double>> hi(
      groups, std::vector<double>(f, -std::numeric_limits<double>::infinity()));
  auto add = [&](size_t g, size_t j, double v) {
    count[g][j] += 1;
    sum[g][j] += v;
    sum2[g][j] += v * v;
    lo[g][j] = std::min(lo[g][j], v);
    hi[g][j] = std::max(hi[g][j], v);
  };
  for (size_t i : rows) {
    const int r = regime_of_row[i];
    for (size_t j = 0; j < f; ++j) {
      const double v = data.row(i)[features[j]];
      if (std::isnan(v)) continue;
      add(all, j, v);
      if (r >= 0 && r < regimes) add(static_cast<size_t>(r), j, v);
    }
  }
  n.offset_.assign(groups, std::vector<double>(f, 0));
  n.scale_.assign(groups, std::vector<double>(f, 1));
  // The fallback over all training rows first; then each regime, falling back where it has
  // no row or no spread.
  for (size_t j = 0; j < f; ++j) {
    if (count[all][j] == 0) continue;
    if (scaling == RegimeScaling::kZScore) {
      const double mean = sum[all][j] / count[all][j];
      const double var = std::max(0.0, sum2[all][j] / count[all][j] - mean * mean);
      n.offset_[all][j] = mean;
      n.scale_[all][j] = var > 1e-24 ? std::sqrt(var) : 1;
    } else {
      n.offset_[all][j] = lo[all][j];
      n.scale_[all][j] = hi[all][j] > lo[all][j] ? hi[all][j] - lo[all][j] : 1;
    }
  }
  for (size_t g = 0; g < all; ++g) {
    for (size_t j = 0; j < f; ++j) {
      n.offset_[g][j] = n.offset_[all][j];
      n.scale_[g][j] = n.scale_[all][j];
      if (count[g][j] == 0) continue;
      if (scaling == RegimeScaling::kZScore) {
        const double mean = sum[g][j] / count[g][j];
        const double var = std::max(0.0, sum2[g][j] / count[g][j] - mean * mean);
        n.offset_[g][j] = mean;
        if (var > 1e-24) n.scale_[g][j] = std::sqrt(var);
      } else {
        n.offset_[g][j] = lo[g][j];
        if (hi[g][j] > lo[g][j]) n.scale_[g][j] = hi[g][j] - lo[g][j];
      }
    }
  }
  return n;
}

void RegimeNormalizer::Apply(Dataset& data, std::span<const int> regime_of_row) const {
  const size_t all = offset_.size() - 1;
  const size_t d = data.cols();
  for (size_t i = 0; i < data.rows(); ++i) {
    const int r = regime_of_row[i];
    const size_t g = r >= 0 && static_cast<size_t>(r) < all ? static_cast<size_t>(r) : all;
    for (size_t j = 0; j < features_.size(); ++j) {
      float& v = data.x[i * d + features_[j]];
      if (std::isnan(v)) continue;
      v = static_cast<float>((v - offset_[g][j]) / scale_[g][j]);
    }
  }
}

}  // namespace fh::ml
