#include "ml/label_permutation_check.h"

#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "ml/split.h"

namespace fh::ml {

namespace permutation_check_detail {

double LabelStdDev(const std::vector<double>& y) {
  if (y.size() < 2) return 0;
  double mean = 0;
  for (double v : y)
    mean += v;
  mean /= static_cast<double>(y.size());
  double ss = 0;
  for (double v : y)
    ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(y.size()));
}

// Each row's label moved to another row of the same unit (or of any unit).
void ShuffleLabels(Dataset& data, bool within_units, uint64_t seed) {
  SplitMix64 rng(seed);
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < data.rows(); ++i)
    groups[within_units && !data.group.empty() ? data.group[i] : std::string()].push_back(i);
  for (auto& [unit, rows] : groups) {
    std::vector<size_t> order = rows;
    Shuffle(order, rng);
    std::vector<double> moved(rows.size());
    for (size_t k = 0; k < rows.size(); ++k)
      moved[k] = data.y[order[k]];
    for (size_t k = 0; k < rows.size(); ++k)
      data.y[rows[k]] = moved[k];
  }
}

}  // namespace permutation_check_detail

ColumnData ShuffleLabelColumns(const ColumnData& raw, const std::vector<std::string>& columns,
                               bool within_units, uint64_t seed) {
  ColumnData out = raw;
  SplitMix64 rng(seed);
  // The rows shuffled among themselves, as (unit, row) pairs: each unit's, or all of them.
  std::vector<std::vector<std::pair<size_t, size_t>>> blocks;
  for (size_t u = 0; u < raw.units.size(); ++u) {
    if (within_units || blocks.empty()) blocks.emplace_back();
    for (size_t r = 0; r < raw.units[u].time.size(); ++r)
      blocks.back().emplace_back(u, r);
  }
  for (const auto& rows : blocks) {
    std::vector<size_t> order(rows.size());
    std::iota(order.begin(), order.end(), size_t{0});
    Shuffle(order, rng);
    for (const std::string& c : columns) {
      for (size_t i = 0; i < rows.size(); ++i) {
        const auto [to_unit, to_row] = rows[i];
        const auto [from_unit, from_row] = rows[order[i]];
        const auto& from = raw.units[from_unit].columns;
        auto& to = out.units[to_unit].columns;
        const auto value = from.find(c);
        // A unit without the column has no value to give; one without it takes none.
        const double v = value == from.end() ? kMissing : value->second[from_row];
        if (auto slot = to.find(c); slot != to.end()) slot->second[to_row] = v;
      }
    }
  }
  return out;
}

Result<PermutationCheck> RunPermutationCheck(const TrainingSpec& spec, const BuiltDataset& built,
                                             const ModelEvaluation& real, uint64_t seed,
                                             const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  const bool within_units = spec.split.kind == SplitKind::kGroupKFold;
  FH_ASSIGN_OR_RETURN(std::vector<std::string> columns, LabelColumns(spec));
  FH_ASSIGN_OR_RETURN(
      BuiltDataset shuffled,
      BuildDatasetFromColumns(spec, ShuffleLabelColumns(built.raw, columns, within_units, seed)));
  if (columns.empty()) permutation_check_detail::ShuffleLabels(shuffled.data, within_units, seed);
  // The compared scores (ROC AUC, kappa, R²) do not depend on a binary threshold: none is
  // tuned, which saves the inner folds' fits.
  TrainingSpec check = spec;
  if (check.task == Task::kBinary) check.threshold = 0.5;
  FH_ASSIGN_OR_RETURN(ModelEvaluation e, CrossValidateOnly(shuffled.data, check, progress,
                                                           FoldPreparation(check, shuffled)));
  const double sd = permutation_check_detail::LabelStdDev(built.data.y);
  auto score = [&](const FoldScores& s) {
    return PermutationScore(spec.task, s.roc_auc, s.kappa, s.rmse, sd);
  };
  PermutationCheck c = JudgePermutation(spec.task, built.data, score(real.mean), score(e.mean));
  c.seed = seed;
  c.within_units = within_units;
  c.shuffled = std::move(columns);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return c;
}

}  // namespace fh::ml
