// How good a multi-class model's predictions are: accuracy, the K x K confusion matrix,
// each class's precision, recall and F1, their macro averages (every class counts the
// same, however rare: a failure mode seen 20 times weighs as much as "no failure"), the
// one-vs-rest ROC and PR AUC averaged the same way, and the log loss. Pure computation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace fh::ml {

struct ClassScores {
  double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (nothing predicted, no rows)
  int64_t support = 0;                       // rows of the class
};

struct MulticlassScores {
  size_t classes = 0;
  std::vector<int64_t> matrix;  // classes x classes: row = actual class, column = predicted
  double accuracy = 0;
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0;  // over the classes present
  // The mean recall of the classes present (scikit-learn's balanced_accuracy_score): the
  // accuracy a rare class counts in as much as a common one.
  double balanced_accuracy = 0;
  // Cohen's kappa: agreement beyond what the class frequencies give by chance,
  // (p_o - p_e) / (1 - p_e); 1 perfect, 0 chance. NaN when chance alone agrees fully.
  double kappa = 0;
  double roc_auc = 0, pr_auc = 0;  // one-vs-rest, averaged over the classes present
  double log_loss = 0;             // mean -ln p(actual class), p clipped at 1e-15
  ClassScores of(size_t k) const;  // from the matrix
};

// `probabilities`: rows x classes, row-major; `label`: each row's class index. Each row is
// predicted its most probable class.
MulticlassScores ScoreMulticlass(std::span<const double> probabilities,
                                 std::span<const double> label, size_t classes);

// The macro averages of a confusion matrix alone (classes x classes, row = actual): how a
// summed matrix of several folds reads.
MulticlassScores FromMatrix(std::vector<int64_t> matrix, size_t classes);

}  // namespace fh::ml
