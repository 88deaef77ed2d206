// TOPSIS and the weighted sum against a published worked example.
#include "optimize/mcda/ranking.h"

#include <gtest/gtest.h>

namespace fh::optimize {
namespace {

// Hwang and Yoon (1981), Multiple Attribute Decision Making, the fighter aircraft example:
// maximum speed (Mach), ferry range (NM), maximum payload (lb), acquisition cost ($10⁶, a
// cost), reliability and manoeuvrability (interval scale: low 3, average 5, high 7,
// very high 9); weights 0.2 0.1 0.1 0.1 0.2 0.3. The book's relative closeness:
// A1 0.643, A2 0.268, A3 0.614, A4 0.312 — A1 ≻ A3 ≻ A4 ≻ A2.
DecisionMatrix FighterAircraft() {
  return {{"A1", "A2", "A3", "A4"},
          {{"speed", true},
           {"range", true},
           {"payload", true},
           {"cost", false},
           {"reliability", true},
           {"manoeuvrability", true}},
          {2.0, 1500, 20000, 5.5, 5, 9,  //
           2.5, 2700, 18000, 6.5, 3, 5,  //
           1.8, 2000, 21000, 4.5, 7, 7,  //
           2.2, 1800, 20000, 5.0, 5, 5}};
}
const std::vector<double> kAircraftWeights = {0.2, 0.1, 0.1, 0.1, 0.2, 0.3};

TEST(Topsis, FighterAircraftMatchesHwangAndYoon) {
  auto ranked = Topsis(FighterAircraft(), kAircraftWeights);
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  const double published[] = {0.643, 0.268, 0.614, 0.312};
  const int rank[] = {1, 4, 2, 3};
  for (size_t a = 0; a < 4; ++a) {
    EXPECT_NEAR((*ranked)[a].score, published[a], 0.0015) << (*ranked)[a].name;
    EXPECT_EQ((*ranked)[a].rank, rank[a]) << (*ranked)[a].name;
  }
}

TEST(Topsis, ACostCriterionPrefersTheCheaperAlternative) {
  DecisionMatrix m{{"cheap", "dear"}, {{"cost", false}}, {1, 2}};
  auto ranked = Topsis(m, {1.0});
  ASSERT_TRUE(ranked.ok());
  EXPECT_DOUBLE_EQ((*ranked)[0].score, 1);
  EXPECT_DOUBLE_EQ((*ranked)[1].score, 0);
  EXPECT_EQ((*ranked)[0].rank, 1);
  DecisionMatrix same{{"x", "y"}, {{"cost", false}}, {3, 3}};
  auto tied = Topsis(same, {1.0});
  ASSERT_TRUE(tied.ok());
  EXPECT_EQ((*tied)[0].rank, 1);
  EXPECT_EQ((*tied)[1].rank, 1);
}

TEST(WeightedSum, MinMaxNormalisedScores) {
  auto ranked = WeightedSum(FighterAircraft(), kAircraftWeights);
  ASSERT_TRUE(ranked.ok());
  // A3: speed (1.8−1.8)/0.7 = 0, range 500/1200, payload 1, cost (6.5−4.5)/2 = 1,
  // reliability 1, manoeuvrability 0.5 → 0.1·0.41667 + 0.1 + 0.1 + 0.2 + 0.15 = 0.591667.
  EXPECT_NEAR((*ranked)[2].score, 0.1 * 500.0 / 1200 + 0.1 + 0.1 + 0.2 + 0.3 * 0.5, 1e-12);
  EXPECT_EQ((*ranked)[2].rank, 1);
}

TEST(Ranking, RefusesBadWeightsAndValues) {
  auto wrong_sum = Topsis(FighterAircraft(), {0.2, 0.1, 0.1, 0.1, 0.2, 0.2});
  ASSERT_FALSE(wrong_sum.ok());
  EXPECT_NE(wrong_sum.status().message().find("sum to 0.9"), std::string::npos);
  DecisionMatrix nan{{"a"}, {{"x", true}}, {std::nan("")}};
  auto bad = WeightedSum(nan, {1.0});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("alternative 'a', criterion 'x'"), std::string::npos);
}

}  // namespace
}  // namespace fh::optimize
