#include "optimize/mcda/ranking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fh::optimize {

namespace {

// Ranks by score, higher first; equal scores (within 1e-12) share the better rank.
void AssignRanks(std::vector<RankedAlternative>& ranked) {
  std::vector<size_t> order(ranked.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ranked[a].score > ranked[b].score; });
  for (size_t k = 0; k < order.size(); ++k) {
    const bool tie = k > 0 && std::abs(ranked[order[k]].score - ranked[order[k - 1]].score) < 1e-12;
    ranked[order[k]].rank = tie ? ranked[order[k - 1]].rank : static_cast<int>(k + 1);
  }
}

}  // namespace

Status CheckDecisionMatrix(const DecisionMatrix& m, const std::vector<double>& weights) {
  const size_t n = m.criteria.size();
  if (m.alternatives.empty()) return InvalidArgument("no alternatives to rank");
  if (n == 0) return InvalidArgument("no criteria to rank by");
  if (m.values.size() != m.alternatives.size() * n)
    return InvalidArgument("{} alternatives × {} criteria need {} values, got {}",
                           m.alternatives.size(), n, m.alternatives.size() * n, m.values.size());
  if (weights.size() != n)
    return InvalidArgument("{} criteria need {} weights, got {}", n, n, weights.size());
  double sum = 0;
  for (size_t c = 0; c < n; ++c) {
    if (!(weights[c] >= 0) || !std::isfinite(weights[c]))
      return InvalidArgument("weight of '{}' is {}: must be a number ≥ 0", m.criteria[c].name,
                             weights[c]);
    sum += weights[c];
  }
  if (std::abs(sum - 1) > 1e-6) return InvalidArgument("weights sum to {:.6g}, not 1", sum);
  for (size_t a = 0; a < m.alternatives.size(); ++a)
    for (size_t c = 0; c < n; ++c)
      if (!std::isfinite(m.at(a, c)))
        return InvalidArgument("alternative '{}', criterion '{}': {} is not a number",
                               m.alternatives[a], m.criteria[c].name, m.at(a, c));
  return Status::Ok();
}

Result<std::vector<RankedAlternative>> Topsis(const DecisionMatrix& m,
                                              const std::vector<double>& weights) {
  FH_RETURN_IF_ERROR(CheckDecisionMatrix(m, weights));
  const size_t rows = m.alternatives.size(), n = m.criteria.size();
  std::vector<double> v(m.values.size());
  std::vector<double> ideal(n), anti(n);
  for (size_t c = 0; c < n; ++c) {
    double norm = 0;
    for (size_t a = 0; a < rows; ++a)
      norm += m.at(a, c) * m.at(a, c);
    norm = std::sqrt(norm);
    double hi = -INFINITY, lo = INFINITY;
    for (size_t a = 0; a < rows; ++a) {
      const double x = norm > 0 ? weights[c] * m.at(a, c) / norm : 0;
      v[a * n + c] = x;
      hi = std::max(hi, x);
      lo = std::min(lo, x);
    }
    ideal[c] = m.criteria[c].benefit ? hi : lo;
    anti[c] = m.criteria[c].benefit ? lo : hi;
  }
  std::vector<RankedAlternative> out(rows);
  for (size_t a = 0; a < rows; ++a) {
    double plus = 0, minus = 0;
    for (size_t c = 0; c < n; ++c) {
      plus += (v[a * n + c] - ideal[c]) * (v[a * n + c] - ideal[c]);
      minus += (v[a * n + c] - anti[c]) * (v[a * n + c] - anti[c]);
    }
    out[a].name = m.alternatives[a];
    out[a].distance_to_ideal = std::sqrt(plus);
    out[a].distance_to_anti_ideal = std::sqrt(minus);
    const double total = out[a].distance_to_ideal + out[a].distance_to_anti_ideal;
    out[a].score = total > 0 ? out[a].distance_to_anti_ideal / total : 1;
  }
  AssignRanks(out);
  return out;
}

Result<std::vector<RankedAlternative>> WeightedSum(const DecisionMatrix& m,
                                                   const std::vector<double>& weights) {
  FH_RETURN_IF_ERROR(CheckDecisionMatrix(m, weights));
  const size_t rows = m.alternatives.size(), n = m.criteria.size();
  std::vector<RankedAlternative> out(rows);
  for (size_t a = 0; a < rows; ++a)
    out[a].name = m.alternatives[a];
  for (size_t c = 0; c < n; ++c) {
    double hi = -INFINITY, lo = INFINITY;
    for (size_t a = 0; a < rows; ++a) {
      hi = std::max(hi, m.at(a, c));
      lo = std::min(lo, m.at(a, c));
    }
    for (size_t a = 0; a < rows; ++a) {
      double x = 1;
      if (hi > lo)
        x = m.criteria[c].benefit ? (m.at(a, c) - lo) / (hi - lo) : (hi - m.at(a, c)) / (hi - lo);
      out[a].score += weights[c] * x;
    }
  }
  AssignRanks(out);
  return out;
}

}  // namespace fh::optimize
