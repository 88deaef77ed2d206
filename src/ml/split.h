// Splits of a data set into training and validation rows, so that a model is always scored
// on rows it never saw:
//   stratified k-fold  each fold keeps the share of each class (labels compared exactly);
//   group k-fold       a unit's rows all fall in one fold (no engine on both sides);
//   time-ordered       k+1 consecutive blocks in time: fold i trains on blocks 0..i and
//                      validates on block i+1 (no training on the future).
// Seeded: the same seed and data give the same folds on every machine (a fixed generator,
// not std::shuffle's unspecified algorithm).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"

namespace fh::ml {

enum class SplitKind { kStratifiedKFold, kGroupKFold, kTimeOrdered };

struct SplitSpec {
  SplitKind kind = SplitKind::kStratifiedKFold;
  int folds = 5;
  uint64_t seed = 42;
};

struct Fold {
  std::vector<size_t> train;
  std::vector<size_t> validate;
};

Result<SplitKind> ParseSplitKind(std::string_view name);
std::string_view ToString(SplitKind kind);

// InvalidArgument when the data cannot be split so (fewer units or rows than folds, a group
// split of data without units).
Result<std::vector<Fold>> MakeFolds(const Dataset& data, const SplitSpec& spec);

// A small, fixed pseudo-random generator (SplitMix64) for reproducible shuffles.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

// Fisher-Yates with SplitMix64.
template <typename T>
void Shuffle(std::vector<T>& v, SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[rng.Below(i)]);
  }
}

}  // namespace fh::ml
