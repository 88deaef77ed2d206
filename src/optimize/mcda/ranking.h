// Ranking discrete alternatives on several criteria: TOPSIS (Hwang and Yoon 1981) and the
// weighted sum. Each criterion is a benefit (more is better: OEE points) or a cost (less is
// better: CNY); both methods turn costs round so that a higher score is always better.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace fh::optimize {

struct Criterion {
  std::string name;
  bool benefit = true;
};

// Alternatives × criteria, row-major: values[a * criteria.size() + c].
struct DecisionMatrix {
  std::vector<std::string> alternatives;
  std::vector<Criterion> criteria;
  std::vector<double> values;
  double at(size_t a, size_t c) const { return values[a * criteria.size() + c]; }
};

struct RankedAlternative {
  std::string name;
  double score = 0;  // TOPSIS: closeness to the ideal in [0, 1]; weighted sum: in [0, 1]
  int rank = 0;      // 1 = best; ties share the better rank
  // TOPSIS only: the distances to the ideal and the anti-ideal alternative.
  double distance_to_ideal = 0;
  double distance_to_anti_ideal = 0;
};

// Checks sizes, finite values and weights (non-negative, summing to 1 within 1e-6).
Status CheckDecisionMatrix(const DecisionMatrix& m, const std::vector<double>& weights);

// TOPSIS: columns normalised by their Euclidean norm (a column of zeros stays zero),
// weighted; the ideal takes each benefit's largest and each cost's smallest weighted value,
// the anti-ideal the opposite; the score is D⁻ / (D⁺ + D⁻) (1 when all alternatives are
// equal, so D⁺ = D⁻ = 0). Results in the alternatives' order.
Result<std::vector<RankedAlternative>> Topsis(const DecisionMatrix& m,
                                              const std::vector<double>& weights);

// The weighted sum of min–max normalised values: a benefit (x − min)/(max − min), a cost
// (max − x)/(max − min), a column where all are equal 1. Results in the alternatives' order.
Result<std::vector<RankedAlternative>> WeightedSum(const DecisionMatrix& m,
                                                   const std::vector<double>& weights);

}  // namespace fh::optimize
