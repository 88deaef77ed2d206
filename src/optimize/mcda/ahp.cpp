#include "optimize/mcda/ahp.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/ranges.h>

namespace fh::optimize {

double SaatyRandomIndex(size_t n) {
  static constexpr double kRandomIndex[] = {0,    0,    0,    0.58, 0.90, 1.12,
                                            1.24, 1.32, 1.41, 1.45, 1.49};
  return n < std::size(kRandomIndex) ? kRandomIndex[n] : kRandomIndex[std::size(kRandomIndex) - 1];
}

namespace {

constexpr size_t kWorstShown = 3;

// The principal eigenvector (normalised to sum 1) and eigenvalue of a positive matrix.
void PrincipalEigen(const std::vector<double>& a, size_t n, std::vector<double>& w,
                    double& lambda) {
  w.assign(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  lambda = static_cast<double>(n);
  for (int iteration = 0; iteration < 10000; ++iteration) {
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t j = 0; j < n; ++j)
        s += a[i * n + j] * w[j];
      next[i] = s;
    }
    const double sum = std::accumulate(next.begin(), next.end(), 0.0);
    lambda = sum;  // w sums to 1, so Σ(Aw)_i = λ once w is the eigenvector
    double change = 0;
    for (size_t i = 0; i < n; ++i) {
      next[i] /= sum;
      change = std::max(change, std::abs(next[i] - w[i]));
    }
    w.swap(next);
    if (change < 1e-12) break;
  }
}

}  // namespace

Result<AhpWeights> AhpFromMatrix(const std::vector<std::string>& criteria,
                                 const std::vector<double>& matrix) {
  const size_t n = criteria.size();
  if (n == 0) return InvalidArgument("AHP: no criteria");
  if (matrix.size() != n * n)
    return InvalidArgument("AHP: {} criteria need a {}×{} matrix, got {} values", n, n, n,
                           matrix.size());
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double v = matrix[i * n + j];
      if (!(v > 0) || !std::isfinite(v))
        return InvalidArgument("AHP: judgement {} over {} is {}: must be a positive number",
                               criteria[i], criteria[j], v);
      if (std::abs(v * matrix[j * n + i] - 1) > 1e-6)
        return InvalidArgument(
            "AHP: judgement {} over {} is {} but {} over {} is {}: "
            "the matrix must be reciprocal (a_ji = 1/a_ij)",
            criteria[i], criteria[j], v, criteria[j], criteria[i], matrix[j * n + i]);
    }
  }
  AhpWeights out;
  out.criteria = criteria;
  PrincipalEigen(matrix, n, out.weights, out.lambda_max);
  out.random_index = SaatyRandomIndex(n);
  if (n > 2) {
    out.consistency_index =
        std::max(0.0, (out.lambda_max - static_cast<double>(n)) / static_cast<double>(n - 1));
    out.consistency_ratio = out.consistency_index / out.random_index;
  }
  struct Deviation {
    size_t i, j;
    double log_ratio;
  };
  std::vector<Deviation> deviations;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      deviations.push_back(
          {i, j, std::abs(std::log(matrix[i * n + j] * out.weights[j] / out.weights[i]))});
  std::stable_sort(
      deviations.begin(), deviations.end(),
      [](const Deviation& a, const Deviation& b) { return a.log_ratio > b.log_ratio; });
  for (size_t k = 0; k < std::min(kWorstShown, deviations.size()); ++k) {
    if (deviations[k].log_ratio < 1e-9) break;
    auto [i, j, unused] = deviations[k];
    // Name the judgement the way round a person wrote it: the greater-than-1 side.
    if (matrix[i * n + j] < 1) std::swap(i, j);
    out.worst.push_back(
        {criteria[i], criteria[j], matrix[i * n + j], out.weights[i] / out.weights[j], ""});
  }
  return out;
}

Result<AhpWeights> AhpFromJudgements(const std::vector<std::string>& criteria,
                                     const std::vector<Judgement>& judgements) {
  const size_t n = criteria.size();
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < n; ++i) {
    if (!index.emplace(criteria[i], i).second)
      return InvalidArgument("AHP: criterion '{}' is listed twice", criteria[i]);
  }
  std::vector<double> matrix(n * n, 0);
  std::vector<std::string> where(n * n);
  for (size_t i = 0; i < n; ++i)
    matrix[i * n + i] = 1;
  for (const Judgement& judgement : judgements) {
    const std::string at = judgement.where.empty() ? "" : judgement.where + ": ";
    auto more = index.find(judgement.more);
    auto less = index.find(judgement.less);
    if (more == index.end() || less == index.end())
      return InvalidArgument("{}AHP judgement names '{}', which is not one of the criteria", at,
                             more == index.end() ? judgement.more : judgement.less);
    const size_t i = more->second, j = less->second;
    if (i == j)
      return InvalidArgument("{}AHP judgement compares '{}' with itself", at, judgement.more);
    if (!(judgement.times >= 1.0 / 9 && judgement.times <= 9))
      return InvalidArgument("{}AHP judgement {} over {} is {}: Saaty's scale runs from 1/9 to 9",
                             at, judgement.more, judgement.less, judgement.times);
    if (matrix[i * n + j] != 0)
      return InvalidArgument("{}AHP judgement {} against {} is given twice (also at {})", at,
                             judgement.more, judgement.less, where[i * n + j]);
    matrix[i * n + j] = judgement.times;
    matrix[j * n + i] = 1 / judgement.times;
    where[i * n + j] = where[j * n + i] = judgement.where;
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (matrix[i * n + j] == 0) missing.push_back(criteria[i] + " vs " + criteria[j]);
  if (!missing.empty())
    return InvalidArgument("AHP needs a judgement for every pair of criteria; missing: {}",
                           fmt::join(missing, ", "));
  FH_ASSIGN_OR_RETURN(AhpWeights out, AhpFromMatrix(criteria, matrix));
  for (InconsistentJudgement& worst : out.worst)
    worst.where = where[index.at(worst.row) * n + index.at(worst.column)];
  return out;
}

Status CheckConsistency(const AhpWeights& ahp, double limit) {
  if (ahp.consistency_ratio <= limit) return Status::Ok();
  std::vector<std::string> named;
  for (const InconsistentJudgement& j : ahp.worst)
    named.push_back(fmt::format("{}{} over {} written {:.3g}, the others imply {:.2f}",
                                j.where.empty() ? "" : j.where + ": ", j.row, j.column, j.written,
                                j.implied));
  return InvalidArgument(
      "AHP judgements are inconsistent: consistency ratio {:.3f} exceeds {} (λmax {:.3f}, CI "
      "{:.3f}, RI {:.2f}); reconsider: {}",
      ahp.consistency_ratio, limit, ahp.lambda_max, ahp.consistency_index, ahp.random_index,
      fmt::join(named, "; "));
}

}  // namespace fh::optimize
