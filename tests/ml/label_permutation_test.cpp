// The label-permutation check's pieces: chance and tolerance per task from the null
// distributions' formulas, worked by hand; the shuffle of the label's columns (within units
// or across them, the same permutation for every column, seeded).
#include "ml/label_permutation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ml/label_permutation_check.h"

namespace fh::ml {
namespace {

Dataset Labels(std::vector<double> y) {
  Dataset d;
  d.y = std::move(y);
  return d;
}

TEST(LabelPermutationTest, BinaryChanceIsHalfWithTheMannWhitneySpreadDoubled) {
  // 500 positives, 500 negatives: sd = sqrt((n + 1) / (12 n1 n0)) = sqrt(1001 / 3e6)
  // = 0.018267; 6 sd = 0.1096.
  std::vector<double> y(1000, 0);
  std::fill(y.begin(), y.begin() + 500, 1);
  const PermutationCheck c = JudgePermutation(Task::kBinary, Labels(y), 0.95, 0.55);
  EXPECT_EQ(c.metric, "roc_auc");
  EXPECT_EQ(c.chance, 0.5);
  EXPECT_NEAR(c.tolerance, 6 * std::sqrt(1001.0 / 3e6), 1e-12);
  EXPECT_NEAR(c.tolerance, 0.1096, 1e-4);
  EXPECT_TRUE(c.at_chance());
  EXPECT_FALSE(JudgePermutation(Task::kBinary, Labels(y), 0.95, 0.62).at_chance());
  // Below chance is chance too (cross-validation of shuffled labels often lands there).
  EXPECT_TRUE(JudgePermutation(Task::kBinary, Labels(y), 0.95, 0.40).at_chance());
  // Many rows: the floor of 0.1.
  std::vector<double> many(100000, 0);
  std::fill(many.begin(), many.begin() + 50000, 1);
  EXPECT_EQ(JudgePermutation(Task::kBinary, Labels(many), 0.9, 0.5).tolerance, 0.1);
}

TEST(LabelPermutationTest, KappaChanceIsZeroWithCohensStandardErrorDoubled) {
  // Shares 0.9 and 0.1: p_e = 0.82; se = sqrt(p_e / (n (1 - p_e))) = sqrt(0.82 / 180)
  // = 0.067495; 6 se = 0.40497.
  std::vector<double> y(1000, 0);
  std::fill(y.begin(), y.begin() + 100, 1);
  const PermutationCheck c = JudgePermutation(Task::kMulticlass, Labels(y), 0.8, 0.3);
  EXPECT_EQ(c.metric, "kappa");
  EXPECT_EQ(c.chance, 0);
  EXPECT_NEAR(c.tolerance, 6 * std::sqrt(0.82 / 180), 1e-12);
  EXPECT_TRUE(c.at_chance());
  EXPECT_FALSE(JudgePermutation(Task::kMulticlass, Labels(y), 0.8, 0.5).at_chance());
}

TEST(LabelPermutationTest, RegressionComparesRSquaredWithZero) {
  EXPECT_DOUBLE_EQ(PermutationScore(Task::kRegression, 0, 0, 5, 10), 0.75);
  EXPECT_DOUBLE_EQ(PermutationScore(Task::kRegression, 0, 0, 10, 10), 0);  // the mean's RMSE
  EXPECT_TRUE(std::isnan(PermutationScore(Task::kRegression, 0, 0, 1, 0)));
  EXPECT_DOUBLE_EQ(PermutationScore(Task::kBinary, 0.7, 0.2, 1, 1), 0.7);
  EXPECT_DOUBLE_EQ(PermutationScore(Task::kMulticlass, 0.7, 0.2, 1, 1), 0.2);
  const PermutationCheck c = JudgePermutation(Task::kRegression, Labels({1, 2, 3}), 0.9, 0.05);
  EXPECT_EQ(c.metric, "r2");
  EXPECT_EQ(c.tolerance, 0.1);
  EXPECT_TRUE(c.at_chance());
  EXPECT_FALSE(JudgePermutation(Task::kRegression, Labels({1, 2, 3}), 0.9, 0.8).at_chance());
}

TEST(LabelPermutationTest, TheSentenceSaysWhatWasShuffledAndTheVerdict) {
  std::vector<double> y(1000, 0);
  std::fill(y.begin(), y.begin() + 300, 1);
  PermutationCheck c = JudgePermutation(Task::kBinary, Labels(y), 0.98, 0.99);
  c.seed = 7;
  c.shuffled = {"label/machine_failure"};
  const std::string s = DescribePermutation(c, "xgboost");
  EXPECT_NE(s.find("label/machine_failure shuffled across all rows, seed 7"), std::string::npos)
      << s;
  EXPECT_NE(s.find("ROC AUC 0.990 on shuffled labels, 0.980 on the true ones"), std::string::npos)
      << s;
  EXPECT_NE(s.find("NOT at chance"), std::string::npos) << s;
  // Four rows: even a perfect score lies within chance's spread.
  const PermutationCheck tiny = JudgePermutation(Task::kBinary, Labels({0, 1, 0, 1}), 1, 1);
  EXPECT_FALSE(tiny.conclusive());
  EXPECT_TRUE(tiny.at_chance());
  EXPECT_NE(DescribePermutation(tiny, "xgboost").find("too few rows for the check to tell"),
            std::string::npos);
}

ColumnData TwoUnits() {
  ColumnData d;
  d.columns = {"label", "pair", "x"};
  for (int u = 0; u < 2; ++u) {
    UnitColumns unit;
    unit.unit = u == 0 ? "a" : "b";
    for (int r = 0; r < 50; ++r) {
      const double v = 100 * u + r;
      unit.time.push_back(r);
      unit.columns["label"].push_back(v);
      unit.columns["pair"].push_back(-v);  // moves with the label: a class condition's column
      unit.columns["x"].push_back(v);      // an input: stays
    }
    d.units.push_back(std::move(unit));
  }
  return d;
}

TEST(LabelPermutationTest, ShufflesTheLabelsColumnsTogetherWithinUnitsOrAcross) {
  const ColumnData raw = TwoUnits();
  const ColumnData within = ShuffleLabelColumns(raw, {"label", "pair"}, true, 42);
  const ColumnData across = ShuffleLabelColumns(raw, {"label", "pair"}, false, 42);
  size_t moved = 0, crossed = 0;
  for (size_t u = 0; u < 2; ++u) {
    const auto& w = within.units[u].columns;
    EXPECT_EQ(w.at("x"), raw.units[u].columns.at("x"));
    std::vector<double> sorted = w.at("label");
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, raw.units[u].columns.at("label")) << "unit " << u << " keeps its labels";
    for (size_t r = 0; r < 50; ++r) {
      EXPECT_EQ(w.at("pair")[r], -w.at("label")[r]);  // one permutation for both columns
      EXPECT_EQ(across.units[u].columns.at("pair")[r], -across.units[u].columns.at("label")[r]);
      moved += w.at("label")[r] != raw.units[u].columns.at("label")[r];
      crossed += (across.units[u].columns.at("label")[r] >= 100) != (u == 1);
    }
  }
  EXPECT_GT(moved, 80u);
  EXPECT_GT(crossed, 20u);  // across: labels of one unit land in the other
  // Seeded: the same shuffle again, another with another seed.
  EXPECT_EQ(ShuffleLabelColumns(raw, {"label", "pair"}, true, 42).units[0].columns.at("label"),
            within.units[0].columns.at("label"));
  EXPECT_NE(ShuffleLabelColumns(raw, {"label", "pair"}, true, 43).units[0].columns.at("label"),
            within.units[0].columns.at("label"));
}

}  // namespace
}  // namespace fh::ml
