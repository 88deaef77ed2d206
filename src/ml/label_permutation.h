// The label-permutation check's verdict: is a cross-validated score real? The spec's model
// is cross-validated again after its label was shuffled (label_permutation_check.h says
// how); a model that learnt from its inputs then scores at chance, and one that still scores
// well read the answer some other way, such as a feature made from the label. Pure
// computation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ml/dataset.h"
#include "ml/model.h"

namespace fh::ml {

struct PermutationCheck {
  uint64_t seed = 0;
  bool within_units = false;          // shuffled within each unit, else across all rows
  std::vector<std::string> shuffled;  // the label's columns shuffled; empty: the label itself
  // The score compared, cross-validated (means over the folds): "roc_auc" (binary), "kappa"
  // (multi-class), "r2" (regression: 1 - (RMSE / the label's standard deviation)^2, 0 for
  // predicting the mean).
  std::string metric;
  double chance = 0;     // its value at chance
  double real = 0;       // the spec's model on the true labels
  double permuted = 0;   // on the shuffled labels
  double tolerance = 0;  // how far above chance `permuted` may lie and still be chance
  double seconds = 0;    // the shuffled cross-validation's wall time
  bool at_chance() const { return !(permuted > chance + tolerance); }
  // False when even a perfect score would lie within the tolerance: too few rows to tell.
  bool conclusive() const { return chance + tolerance < 1; }
};

// `metric`, `chance` and `tolerance` for `task` on `data` (its labels: the class counts,
// the spread), with `real` and `permuted` the scores of the two cross-validations (from
// PermutationScore). The tolerance is 3 standard deviations of the score under the null,
// taken as twice what a formula gives (ROC AUC: the Mann-Whitney statistic's; kappa:
// Cohen's standard error at kappa 0) because cross-validated scores of shuffled labels
// spread wider (AI4I: ROC AUC 0.456-0.542 over six seeds, where the formula's standard
// deviation is 0.016); at least 0.1.
PermutationCheck JudgePermutation(Task task, const Dataset& data, double real, double permuted);

// The score JudgePermutation compares, from a cross-validation's fold means: ROC AUC,
// kappa, or 1 - (RMSE / `label_sd`)^2.
double PermutationScore(Task task, double roc_auc, double kappa, double rmse, double label_sd);

// One sentence for the reports (no final stop): what was shuffled, both scores, chance,
// and the verdict.
std::string DescribePermutation(const PermutationCheck& check, std::string_view model);

}  // namespace fh::ml
