#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace fh::ml {

namespace {

// A metric that the data cannot define (AUC with one class).
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

bool Positive(double label) {
  return label != 0;
}

// Indices by descending score.
std::vector<size_t> ByScoreDescending(std::span<const double> score) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  return order;
}

// Walks the scores from the highest down, calling fn(tp, fp) after each group of equal
// scores: the counts predicted positive with the threshold at that score.
template <typename Fn>
void ForEachCut(std::span<const double> score, std::span<const double> label, Fn fn) {
  const std::vector<size_t> order = ByScoreDescending(score);
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < order.size();) {
    const double s = score[order[i]];
    for (; i < order.size() && score[order[i]] == s; ++i) {
      if (Positive(label[order[i]])) {
        ++tp;
      } else {
        ++fp;
      }
    }
    fn(tp, fp, s, i < order.size() ? score[order[i]] : s);
  }
}

int64_t CountPositive(std::span<const double> label) {
  return std::count_if(label.begin(), label.end(), Positive);
}

std::vector<CurvePoint> Thin(std::vector<CurvePoint> points, size_t max_points) {
  if (points.size() <= max_points || max_points < 2) return points;
  std::vector<CurvePoint> out;
  out.reserve(max_points);
  const double step = static_cast<double>(points.size() - 1) / static_cast<double>(max_points - 1);
  for (size_t k = 0; k < max_points; ++k) {
    out.push_back(points[static_cast<size_t>(std::lround(static_cast<double>(k) * step))]);
  }
  return out;
}

}  // namespace

double RocAuc(std::span<const double> score, std::span<const double> label) {
  // Rank-sum: average ranks of tied scores, ascending.
  const size_t n = score.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && score[order[j]] == score[order[i]])
      ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (Positive(label[order[k]])) rank_sum += rank;
    }
    i = j;
  }
  const auto pos = static_cast<double>(CountPositive(label));
  const double neg = static_cast<double>(n) - pos;
  if (pos == 0 || neg == 0) return kUndefined;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

double PrAuc(std::span<const double> score, std::span<const double> label) {
  const auto pos = static_cast<double>(CountPositive(label));
  if (pos == 0) return kUndefined;
  double ap = 0;
  double previous_recall = 0;
  ForEachCut(score, label, [&](int64_t tp, int64_t fp, double, double) {
    const double recall = static_cast<double>(tp) / pos;
    const double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
    ap += (recall - previous_recall) * precision;
    previous_recall = recall;
  });
  return ap;
}

double Confusion::precision() const {
  return tp + fp == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
}
double Confusion::recall() const {
  return tp + fn == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
}
double Confusion::f1() const {
  return tp == 0 ? 0 : 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
}

Confusion ConfusionAt(std::span<const double> score, std::span<const double> label,
                      double threshold) {
  Confusion c;
  for (size_t i = 0; i < score.size(); ++i) {
    const bool predicted = score[i] >= threshold;
    if (Positive(label[i])) {
      ++(predicted ? c.tp : c.fn);
    } else {
      ++(predicted ? c.fp : c.tn);
    }
  }
  return c;
}

ThresholdChoice BestF1Threshold(std::span<const double> score, std::span<const double> label) {
  const int64_t pos = CountPositive(label);
  ThresholdChoice best;
  if (pos == 0) return best;
  ForEachCut(score, label, [&](int64_t tp, int64_t fp, double at, double next) {
    const double f1 = 2.0 * static_cast<double>(tp) / static_cast<double>(tp + fp + pos);
    if (f1 > best.f1) {
      best.f1 = f1;
      // Between this score (predicted positive) and the next lower one (not).
      best.threshold = next < at ? (at + next) / 2 : at;
    }
  });
  return best;
}

std::vector<CurvePoint> RocCurve(std::span<const double> score, std::span<const double> label,
                                 size_t max_points) {
  const auto pos = static_cast<double>(CountPositive(label));
  const double neg = static_cast<double>(label.size()) - pos;
  std::vector<CurvePoint> points = {{0, 0}};
  if (pos == 0 || neg == 0) return points;
  ForEachCut(score, label, [&](int64_t tp, int64_t fp, double, double) {
    points.push_back({static_cast<double>(fp) / neg, static_cast<double>(tp) / pos});
  });
  return Thin(std::move(points), max_points);
}

std::vector<CurvePoint> PrCurve(std::span<const double> score, std::span<const double> label,
                                size_t max_points) {
  const auto pos = static_cast<double>(CountPositive(label));
  std::vector<CurvePoint> points;
  if (pos == 0) return points;
  ForEachCut(score, label, [&](int64_t tp, int64_t fp, double, double) {
    points.push_back(
        {static_cast<double>(tp) / pos, static_cast<double>(tp) / static_cast<double>(tp + fp)});
  });
  return Thin(std::move(points), max_points);
}

double Rmse(std::span<const double> predicted, std::span<const double> actual) {
  if (predicted.empty()) return kUndefined;
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    const double d = predicted[i] - actual[i];
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(predicted.size()));
}

double Mae(std::span<const double> predicted, std::span<const double> actual) {
  if (predicted.empty()) return kUndefined;
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i)
    sum += std::abs(predicted[i] - actual[i]);
  return sum / static_cast<double>(predicted.size());
}

double Phm08Score(std::span<const double> predicted, std::span<const double> actual) {
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    const double d = predicted[i] - actual[i];
    sum += d < 0 ? std::exp(-d / 13) - 1 : std::exp(d / 10) - 1;
  }
  return sum;
}

double BrierScore(std::span<const double> probability, std::span<const double> label) {
  if (probability.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < probability.size(); ++i) {
    const double outcome = label[i] != 0 ? 1 : 0;
    sum += (probability[i] - outcome) * (probability[i] - outcome);
  }
  return sum / static_cast<double>(probability.size());
}

std::vector<ReliabilityBin> ReliabilityCurve(std::span<const double> probability,
                                             std::span<const double> label, int bins) {
  std::vector<ReliabilityBin> all(static_cast<size_t>(std::max(bins, 1)));
  // The inner edges as numpy's linspace(0, 1, bins + 1) makes them (i x 1/bins), and a value
  // on an edge in the bin below it (searchsorted): scikit-learn's bins to the last bit.
  const double step = 1.0 / static_cast<double>(all.size());
  std::vector<double> inner;
  for (size_t i = 1; i < all.size(); ++i)
    inner.push_back(static_cast<double>(i) * step);
  for (size_t i = 0; i < probability.size(); ++i) {
    const double p = probability[i];
    if (std::isnan(p)) continue;
    const auto b =
        static_cast<size_t>(std::lower_bound(inner.begin(), inner.end(), p) - inner.begin());
    all[b].predicted += p;
    all[b].observed += label[i] != 0 ? 1 : 0;
    ++all[b].rows;
  }
  std::vector<ReliabilityBin> out;
  for (ReliabilityBin& b : all) {
    if (b.rows == 0) continue;
    b.predicted /= static_cast<double>(b.rows);
    b.observed /= static_cast<double>(b.rows);
    out.push_back(b);
  }
  return out;
}

}  // namespace fh::ml
