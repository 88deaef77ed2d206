// Splits keep validation rows out of training, keep class shares, keep units whole, never
// train on the future, and are the same for the same seed.
#include "ml/split.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace fh::ml {
namespace {

Dataset Rows(size_t n, size_t positive_every, size_t units = 0) {
  Dataset d;
  d.features = {"x"};
  for (size_t i = 0; i < n; ++i) {
    d.x.push_back(static_cast<float>(i));
    d.y.push_back(i % positive_every == 0 ? 1 : 0);
    d.time.push_back(static_cast<int64_t>((n - i) * 1000));  // newest first
    if (units) d.group.push_back("unit-" + std::to_string(i % units));
  }
  return d;
}

void ExpectPartition(const std::vector<Fold>& folds, size_t n) {
  std::vector<int> seen(n, 0);
  for (const Fold& f : folds) {
    EXPECT_EQ(f.train.size() + f.validate.size(), n);
    std::set<size_t> train(f.train.begin(), f.train.end());
    for (size_t v : f.validate) {
      EXPECT_EQ(train.count(v), 0u);
      ++seen[v];
    }
  }
  for (int s : seen)
    EXPECT_EQ(s, 1);  // each row validated exactly once
}

TEST(SplitTest, StratifiedFoldsKeepTheClassShare) {
  const Dataset d = Rows(1000, 25);  // 40 positives
  Result<std::vector<Fold>> folds = MakeFolds(d, {SplitKind::kStratifiedKFold, 5, 42});
  ASSERT_OK(folds);
  ASSERT_EQ(folds->size(), 5u);
  ExpectPartition(*folds, d.rows());
  for (const Fold& f : *folds) {
    EXPECT_EQ(f.validate.size(), 200u);
    const auto positives =
        std::count_if(f.validate.begin(), f.validate.end(), [&](size_t i) { return d.y[i] != 0; });
    EXPECT_EQ(positives, 8);
  }
}

TEST(SplitTest, SameSeedSameFoldsOtherSeedOtherFolds) {
  const Dataset d = Rows(300, 4);
  const auto a = MakeFolds(d, {SplitKind::kStratifiedKFold, 3, 7});
  const auto b = MakeFolds(d, {SplitKind::kStratifiedKFold, 3, 7});
  const auto c = MakeFolds(d, {SplitKind::kStratifiedKFold, 3, 8});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ((*a)[0].validate, (*b)[0].validate);
  EXPECT_NE((*a)[0].validate, (*c)[0].validate);
}

TEST(SplitTest, GroupFoldsKeepEachUnitOnOneSide) {
  const Dataset d = Rows(500, 3, 20);
  Result<std::vector<Fold>> folds = MakeFolds(d, {SplitKind::kGroupKFold, 5, 1});
  ASSERT_OK(folds);
  ExpectPartition(*folds, d.rows());
  for (const Fold& f : *folds) {
    std::set<std::string> train_units, validate_units;
    for (size_t i : f.train)
      train_units.insert(d.group[i]);
    for (size_t i : f.validate)
      validate_units.insert(d.group[i]);
    EXPECT_EQ(validate_units.size(), 4u);
    for (const std::string& u : validate_units)
      EXPECT_EQ(train_units.count(u), 0u) << u;
  }
  EXPECT_FALSE(MakeFolds(Rows(100, 3, 3), {SplitKind::kGroupKFold, 5, 1}).ok());  // 3 units
  EXPECT_FALSE(MakeFolds(Rows(100, 3), {SplitKind::kGroupKFold, 5, 1}).ok());     // no units
}

TEST(SplitTest, TimeOrderedFoldsNeverTrainOnTheFuture) {
  const Dataset d = Rows(600, 5);
  Result<std::vector<Fold>> folds = MakeFolds(d, {SplitKind::kTimeOrdered, 5, 0});
  ASSERT_OK(folds);
  size_t previous_train = 0;
  for (const Fold& f : *folds) {
    EXPECT_EQ(f.validate.size(), 100u);
    EXPECT_GT(f.train.size(), previous_train);
    previous_train = f.train.size();
    int64_t newest_train = 0, oldest_validate = INT64_MAX;
    for (size_t i : f.train)
      newest_train = std::max(newest_train, d.time[i]);
    for (size_t i : f.validate)
      oldest_validate = std::min(oldest_validate, d.time[i]);
    EXPECT_LT(newest_train, oldest_validate);
  }
}

TEST(SplitTest, TooFewRowsOrFoldsIsAnError) {
  EXPECT_FALSE(MakeFolds(Rows(4, 2), {SplitKind::kStratifiedKFold, 5, 0}).ok());
  EXPECT_FALSE(MakeFolds(Rows(40, 2), {SplitKind::kStratifiedKFold, 1, 0}).ok());
}

}  // namespace
}  // namespace fh::ml
