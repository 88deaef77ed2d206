#include "ml/label_permutation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fh::ml {

double PermutationScore(Task task, double roc_auc, double kappa, double rmse, double label_sd) {
  switch (task) {
    case Task::kBinary:
      return roc_auc;
    case Task::kMulticlass:
      return kappa;
    case Task::kRegression:
    case Task::kAnomaly:
      break;
  }
  return label_sd > 0 ? 1 - (rmse / label_sd) * (rmse / label_sd) : NAN;
}

PermutationCheck JudgePermutation(Task task, const Dataset& data, double real, double permuted) {
  PermutationCheck c;
  c.real = real;
  c.permuted = permuted;
  const double n = static_cast<double>(data.rows());
  if (task == Task::kBinary) {
    c.metric = "roc_auc";
    c.chance = 0.5;
    const double positives = static_cast<double>(
        std::count_if(data.y.begin(), data.y.end(), [](double y) { return y != 0; }));
    const double negatives = n - positives;
    // The Mann-Whitney statistic's standard deviation when scores and labels are unrelated.
    const double sd =
        positives > 0 && negatives > 0 ? std::sqrt((n + 1) / (12 * positives * negatives)) : 0;
    c.tolerance = std::max(0.1, 6 * sd);
  } else if (task == Task::kMulticlass) {
    c.metric = "kappa";
    c.chance = 0;
    // Agreement by chance with the classes' shares, and kappa's standard error at 0.
    std::map<double, double> counts;
    for (double y : data.y)
      counts[y] += 1;
    double pe = 0;
    for (const auto& [cls, count] : counts)
      pe += (count / n) * (count / n);
    const double se = pe < 1 && n > 0 ? std::sqrt(pe / (n * (1 - pe))) : 0;
    c.tolerance = std::max(0.1, 6 * se);
  } else {
    c.metric = "r2";
    c.chance = 0;
    c.tolerance = 0.1;
  }
  return c;
}

std::string DescribePermutation(const PermutationCheck& c, std::string_view model) {
  const std::string what =
      c.shuffled.empty() ? std::string("the labels")
                         : fmt::format("the label's column{} {}", c.shuffled.size() > 1 ? "s" : "",
                                       fmt::join(c.shuffled, ", "));
  const std::string metric = c.metric == "roc_auc" ? "ROC AUC"
                             : c.metric == "kappa" ? "kappa"
                                                   : "R²";
  return fmt::format(
      "Label permutation ({} shuffled {}, seed {}): {}'s cross-validated {} {:.3f} on shuffled "
      "labels, {:.3f} on the true ones; chance {:g} ± {:.3f}: {}",
      what, c.within_units ? "within each unit" : "across all rows", c.seed, model, metric,
      c.permuted, c.real, c.chance, c.tolerance,
      !c.conclusive() ? "too few rows for the check to tell"
      : c.at_chance() ? "at chance, so the score comes from the inputs"
                      : "NOT at chance: the model reads the label some other way than through "
                        "its inputs (is a feature made from the label?)");
}

}  // namespace fh::ml
