// Weights from pairwise judgements: Saaty's analytic hierarchy process. A person says how
// much more important criterion i is than j on Saaty's 1–9 scale; the weights are the
// principal eigenvector of the reciprocal matrix, and the consistency ratio says whether
// the judgements contradict each other too much to be trusted (above 0.1, Saaty's limit).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace fh::optimize {

// Saaty's random index RI(n): the mean consistency index of random reciprocal matrices of
// order n (Saaty 1980): 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 1..10.
// Orders above 10 use 1.49 (the table's last value, a slight overstatement of consistency).
double SaatyRandomIndex(size_t n);

// One judgement as a person wrote it: `more` is `times` as important as `less`.
struct Judgement {
  std::string more;
  std::string less;
  double times = 1;
  std::string where;  // "plan.yaml:12" for messages; may be empty
};

// A judgement that contributes most to the inconsistency: the written value against the
// value the derived weights imply (w_i / w_j), as a suggestion.
struct InconsistentJudgement {
  std::string row;
  std::string column;
  double written = 0;
  double implied = 0;  // w_row / w_col
  std::string where;
};

struct AhpWeights {
  std::vector<std::string> criteria;
  std::vector<double> weights;  // sum to 1, in criteria order
  double lambda_max = 0;
  double consistency_index = 0;  // (λmax − n) / (n − 1)
  double random_index = 0;
  double consistency_ratio = 0;  // CI / RI; 0 for n ≤ 2 (always consistent)
  // The three judgements whose ratio a_ij·w_j/w_i lies furthest from 1 (in log terms),
  // the furthest first: what to reconsider when the ratio is too high.
  std::vector<InconsistentJudgement> worst;
};

// The weights of a positive reciprocal matrix (row-major, n×n; a_ji = 1/a_ij). The
// eigenvector comes from power iteration, which converges for any positive matrix
// (Perron–Frobenius) to 1e-12.
Result<AhpWeights> AhpFromMatrix(const std::vector<std::string>& criteria,
                                 const std::vector<double>& matrix);

// The matrix from judgements (each unordered pair at most once; pairs left out are an
// error, naming them, as the eigenvector of a matrix with holes means nothing); then
// AhpFromMatrix. The judgements are kept to name them in `worst`.
Result<AhpWeights> AhpFromJudgements(const std::vector<std::string>& criteria,
                                     const std::vector<Judgement>& judgements);

// OK when CR ≤ limit; else an error naming the ratio and the worst judgements with the
// values the other judgements imply.
Status CheckConsistency(const AhpWeights& ahp, double limit = 0.1);

}  // namespace fh::optimize
