#include "ml/multiclass_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/metrics.h"
#include "ml/model.h"

namespace fh::ml {

ClassScores MulticlassScores::of(size_t k) const {
  ClassScores s;
  int64_t predicted = 0, correct = matrix[k * classes + k];
  for (size_t a = 0; a < classes; ++a) {
    predicted += matrix[a * classes + k];
    s.support += matrix[k * classes + a];
  }
  s.precision = predicted > 0 ? static_cast<double>(correct) / static_cast<double>(predicted) : 0;
  s.recall = s.support > 0 ? static_cast<double>(correct) / static_cast<double>(s.support) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

MulticlassScores FromMatrix(std::vector<int64_t> matrix, size_t classes) {
  MulticlassScores s;
  s.classes = classes;
  s.matrix = std::move(matrix);
  int64_t total = 0, correct = 0;
  size_t present = 0;
  for (size_t k = 0; k < classes; ++k) {
    correct += s.matrix[k * classes + k];
    const ClassScores c = s.of(k);
    total += c.support;
    if (c.support == 0) continue;  // a class absent from these rows has no recall
    ++present;
    s.macro_precision += c.precision;
    s.macro_recall += c.recall;
    s.macro_f1 += c.f1;
  }
  if (present > 0) {
    s.macro_precision /= static_cast<double>(present);
    s.macro_recall /= static_cast<double>(present);
    s.macro_f1 /= static_cast<double>(present);
  }
  s.accuracy = total > 0 ? static_cast<double>(correct) / static_cast<double>(total) : 0;
  s.balanced_accuracy = s.macro_recall;
  double chance = 0;  // p_e: the agreement of independent raters with these frequencies
  for (size_t k = 0; k < classes && total > 0; ++k) {
    int64_t actual = 0, predicted = 0;
    for (size_t j = 0; j < classes; ++j) {
      actual += s.matrix[k * classes + j];
      predicted += s.matrix[j * classes + k];
    }
    chance += static_cast<double>(actual) * static_cast<double>(predicted) /
              (static_cast<double>(total) * static_cast<double>(total));
  }
  s.kappa =
      chance < 1 ? (s.accuracy - chance) / (1 - chance) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

MulticlassScores ScoreMulticlass(std::span<const double> probabilities,
                                 std::span<const double> label, size_t classes) {
  const size_t rows = label.size();
  const std::vector<int> predicted = MostProbable(probabilities, classes);
  std::vector<int64_t> matrix(classes * classes, 0);
  double log_loss = 0;
  for (size_t i = 0; i < rows; ++i) {
    const auto actual = static_cast<size_t>(label[i]);
    ++matrix[actual * classes + static_cast<size_t>(predicted[i])];
    log_loss -= std::log(std::max(probabilities[i * classes + actual], 1e-15));
  }
  MulticlassScores s = FromMatrix(std::move(matrix), classes);
  s.log_loss = rows > 0 ? log_loss / static_cast<double>(rows) : 0;
  // One class against the rest, for each class that has rows on both sides.
  std::vector<double> score(rows), is_class(rows);
  size_t curves = 0;
  for (size_t k = 0; k < classes; ++k) {
    for (size_t i = 0; i < rows; ++i) {
      score[i] = probabilities[i * classes + k];
      is_class[i] = static_cast<size_t>(label[i]) == k ? 1 : 0;
    }
    const double roc = RocAuc(score, is_class);
    if (std::isnan(roc)) continue;
    ++curves;
    s.roc_auc += roc;
    s.pr_auc += PrAuc(score, is_class);
  }
  s.roc_auc = curves > 0 ? s.roc_auc / static_cast<double>(curves) : NAN;
  s.pr_auc = curves > 0 ? s.pr_auc / static_cast<double>(curves) : NAN;
  return s;
}

}  // namespace fh::ml
