#include "ml/split.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace fh::ml {

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Result<SplitKind> ParseSplitKind(std::string_view name) {
  if (name == "stratified_kfold") return SplitKind::kStratifiedKFold;
  if (name == "group_kfold") return SplitKind::kGroupKFold;
  if (name == "time_ordered") return SplitKind::kTimeOrdered;
  return InvalidArgument(
      "unknown split '{}' (expected stratified_kfold, group_kfold or time_ordered)", name);
}

std::string_view ToString(SplitKind kind) {
  switch (kind) {
    case SplitKind::kStratifiedKFold:
      return "stratified_kfold";
    case SplitKind::kGroupKFold:
      return "group_kfold";
    case SplitKind::kTimeOrdered:
      return "time_ordered";
  }
  return "?";
}

namespace {

// Folds from an assignment of each row to a fold number.
std::vector<Fold> FromAssignment(const std::vector<int>& fold_of, int folds) {
  std::vector<Fold> out(static_cast<size_t>(folds));
  for (size_t i = 0; i < fold_of.size(); ++i) {
    for (int f = 0; f < folds; ++f) {
      (fold_of[i] == f ? out[f].validate : out[f].train).push_back(i);
    }
  }
  return out;
}

std::vector<Fold> Stratified(const Dataset& data, const SplitSpec& spec) {
  // Each class's rows shuffled, then dealt round-robin, continuing from fold to fold across
  // classes so that fold sizes differ by at most one.
  std::map<double, std::vector<size_t>> by_class;
  for (size_t i = 0; i < data.rows(); ++i)
    by_class[data.y[i]].push_back(i);
  SplitMix64 rng(spec.seed);
  std::vector<int> fold_of(data.rows());
  int next = 0;
  for (auto& [label, rows] : by_class) {
    Shuffle(rows, rng);
    for (size_t r : rows) {
      fold_of[r] = next;
      next = (next + 1) % spec.folds;
    }
  }
  return FromAssignment(fold_of, spec.folds);
}

std::vector<Fold> Grouped(const Dataset& data, const SplitSpec& spec) {
  // Units shuffled, then each given to the fold with the fewest rows so far.
  std::map<std::string, std::vector<size_t>> by_unit;
  for (size_t i = 0; i < data.rows(); ++i)
    by_unit[data.group[i]].push_back(i);
  std::vector<const std::vector<size_t>*> units;
  for (const auto& [name, rows] : by_unit)
    units.push_back(&rows);
  SplitMix64 rng(spec.seed);
  Shuffle(units, rng);
  std::vector<size_t> size(static_cast<size_t>(spec.folds), 0);
  std::vector<int> fold_of(data.rows());
  for (const std::vector<size_t>* rows : units) {
    const auto f = static_cast<int>(std::min_element(size.begin(), size.end()) - size.begin());
    for (size_t r : *rows)
      fold_of[r] = f;
    size[f] += rows->size();
  }
  return FromAssignment(fold_of, spec.folds);
}

std::vector<Fold> TimeOrdered(const Dataset& data, const SplitSpec& spec) {
  std::vector<size_t> order(data.rows());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return data.time[a] < data.time[b]; });
  const size_t blocks = static_cast<size_t>(spec.folds) + 1;
  std::vector<Fold> out;
  for (size_t f = 0; f < static_cast<size_t>(spec.folds); ++f) {
    const size_t train_end = order.size() * (f + 1) / blocks;
    const size_t validate_end = order.size() * (f + 2) / blocks;
    Fold fold;
    fold.train.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(train_end));
    fold.validate.assign(order.begin() + static_cast<ptrdiff_t>(train_end),
                         order.begin() + static_cast<ptrdiff_t>(validate_end));
    out.push_back(std::move(fold));
  }
  return out;
}

}  // namespace

Result<std::vector<Fold>> MakeFolds(const Dataset& data, const SplitSpec& spec) {
  if (spec.folds < 2) return InvalidArgument("split: folds must be at least 2, not {}", spec.folds);
  if (data.rows() < static_cast<size_t>(spec.folds) + 1) {
    return InvalidArgument("split: {} rows cannot make {} folds", data.rows(), spec.folds);
  }
  switch (spec.kind) {
    case SplitKind::kStratifiedKFold:
      return Stratified(data, spec);
    case SplitKind::kGroupKFold: {
      if (data.group.size() != data.rows()) {
        return InvalidArgument("split: group_kfold needs units (data.group in the spec)");
      }
      std::vector<std::string> units = data.group;
      std::sort(units.begin(), units.end());
      const auto distinct = std::unique(units.begin(), units.end()) - units.begin();
      if (distinct < spec.folds) {
        return InvalidArgument("split: {} units cannot make {} folds", distinct, spec.folds);
      }
      return Grouped(data, spec);
    }
    case SplitKind::kTimeOrdered:
      if (data.time.size() != data.rows()) {
        return InvalidArgument("split: time_ordered needs each row's time");
      }
      return TimeOrdered(data, spec);
  }
  return Internal("split: unknown kind");
}

}  // namespace fh::ml
