// Control limits against the numbers the textbook prints (data/spc/SOURCE.md).
#include "analytics/spc/control_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "analytics/spc/spc_constants.h"
#include "analytics/spc_data.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

using testdata::Column;
using testdata::PistonRings;

// Published table values (Montgomery Appendix VI, ASTM E2587), to their printed digits.
TEST(SpcConstantsTest, MatchThePublishedTables) {
  struct Row {
    int n;
    double d2, d3, c4;
  };
  for (const Row& r :
       {Row{2, 1.128, 0.853, 0.7979}, Row{3, 1.693, 0.888, 0.8862}, Row{4, 2.059, 0.880, 0.9213},
        Row{5, 2.326, 0.864, 0.9400}, Row{6, 2.534, 0.848, 0.9515}, Row{7, 2.704, 0.833, 0.9594},
        Row{10, 3.078, 0.797, 0.9727}, Row{15, 3.472, 0.756, 0.9823}, Row{20, 3.735, 0.729, 0.9869},
        Row{25, 3.931, 0.708, 0.9896}}) {
    EXPECT_NEAR(D2(r.n), r.d2, 0.0005) << "n " << r.n;
    EXPECT_NEAR(D3(r.n), r.d3, 0.0005) << "n " << r.n;
    EXPECT_NEAR(C4(r.n), r.c4, 0.00005) << "n " << r.n;
  }
  // More digits where they are known exactly or to seven places.
  EXPECT_NEAR(D2(2), 1.1283792, 1e-7);
  EXPECT_NEAR(D3(2), 0.8525025, 1e-6);
  EXPECT_NEAR(D2(5), 2.3259289, 1e-6);
  EXPECT_NEAR(D3(5), 0.8640819, 1e-6);
  // No range of one value, and none computed past the table.
  EXPECT_TRUE(std::isnan(D2(1)));
  EXPECT_TRUE(std::isnan(D3(kMaxRangeSubgroup + 1)));
  EXPECT_TRUE(std::isnan(C4(1)));
}

// Montgomery Tables 6.3: 25 subgroups of 5 piston ring diameters.
TEST(SpcLimitsTest, PistonRingsXbarAndRChartsAsPublished) {
  const auto groups = PistonRings("I");
  ASSERT_EQ(groups.size(), 25u);
  ASSERT_OK_AND_ASSIGN(VariablesLimits l, XbarRLimits(groups));
  EXPECT_EQ(l.subgroup_size, 5);
  EXPECT_NEAR(l.location.center, 74.00118, 5e-6);
  EXPECT_NEAR(l.location.lower, 73.98805, 5e-6);
  EXPECT_NEAR(l.location.upper, 74.01430, 5e-6);
  EXPECT_NEAR(l.spread.center, 0.02276, 5e-6);
  EXPECT_NEAR(l.spread.upper, 0.048125, 2e-6);
  EXPECT_EQ(l.spread.lower, 0);  // n = 5: D3 = 0
  EXPECT_NEAR(l.sigma_within, 0.009785, 5e-7);
}

// Phase II (Table 6.4) judged by the frozen phase-I limits: the process mean has moved
// up, and the X̄ chart says so in the last subgroups.
TEST(SpcLimitsTest, PistonRingsPhaseTwoAgainstFrozenLimits) {
  ASSERT_OK_AND_ASSIGN(VariablesLimits l, XbarRLimits(PistonRings("I")));
  const std::vector<double> means = SubgroupMeans(PistonRings("II"));
  std::vector<size_t> outside;
  for (size_t i = 0; i < means.size(); ++i) {
    if (!l.location.Contains(means[i])) outside.push_back(26 + i);
  }
  EXPECT_THAT(outside, ::testing::ElementsAre(37, 38, 39));
}

TEST(SpcLimitsTest, XbarSOnPistonRings) {
  ASSERT_OK_AND_ASSIGN(VariablesLimits l, XbarSLimits(PistonRings("I")));
  // S̄ = 0.009240, c4(5) = 0.9400: σ = 0.009829; B4 = 2.089.
  EXPECT_NEAR(l.spread.center, 0.009240, 5e-6);
  EXPECT_NEAR(l.sigma_within, l.spread.center / C4(5), 1e-12);
  EXPECT_NEAR(l.spread.upper / l.spread.center, 2.089, 0.0005);
  EXPECT_NEAR(l.location.center, 74.00118, 5e-6);
}

// Example 7.1: 30 samples of 50 cans.
TEST(SpcLimitsTest, OrangeJuicePChartAsPublished) {
  std::vector<int64_t> defective, sizes;
  for (const auto& r : testdata::Rows("orange_juice_cans.csv")) {
    if (r[3] != "I") continue;
    defective.push_back(std::stoll(r[1]));
    sizes.push_back(std::stoll(r[2]));
  }
  ASSERT_EQ(defective.size(), 30u);
  ASSERT_OK_AND_ASSIGN(AttributeLimits p, PLimits(defective, sizes));
  EXPECT_NEAR(p.center, 0.2313, 5e-5);
  EXPECT_NEAR(p.limits[0].upper, 0.4102, 5e-5);
  EXPECT_NEAR(p.limits[0].lower, 0.0524, 5e-5);
  std::vector<size_t> above;
  for (size_t i = 0; i < defective.size(); ++i) {
    if (static_cast<double>(defective[i]) / 50 > p.limits[i].upper) above.push_back(i + 1);
  }
  EXPECT_THAT(above, ::testing::ElementsAre(15, 23));

  ASSERT_OK_AND_ASSIGN(AttributeLimits np, NpLimits(defective, 50));
  EXPECT_NEAR(np.center, 11.5667, 5e-5);
  EXPECT_NEAR(np.limits[0].upper, 50 * 0.41024, 5e-3);
}

// Example 7.3: 26 samples of 100 circuit boards.
TEST(SpcLimitsTest, CircuitBoardsCChartAsPublished) {
  const std::vector<double> c = Column("circuit_boards.csv", 1);
  ASSERT_OK_AND_ASSIGN(AttributeLimits l, CLimits(c));
  EXPECT_NEAR(l.center, 19.85, 0.005);
  EXPECT_NEAR(l.limits[0].upper, 33.22, 0.01);
  EXPECT_NEAR(l.limits[0].lower, 6.48, 0.005);
  std::vector<size_t> outside;
  for (size_t i = 0; i < c.size(); ++i) {
    if (!l.limits[i].Contains(c[i])) outside.push_back(i + 1);
  }
  EXPECT_THAT(outside, ::testing::ElementsAre(6, 20));
  // The same counts per 100 boards as a u chart in units of 100: the same limits.
  std::vector<double> units(c.size(), 1.0);
  ASSERT_OK_AND_ASSIGN(AttributeLimits u, ULimits(c, units));
  EXPECT_DOUBLE_EQ(u.center, l.center);
  EXPECT_DOUBLE_EQ(u.limits[3].upper, l.limits[3].upper);
}

// Example 6.5: 15 batches of primer paint.
TEST(SpcLimitsTest, ViscosityIndividualsChartAsPublished) {
  const std::vector<double> v = Column("primer_viscosity.csv", 1);
  ASSERT_OK_AND_ASSIGN(VariablesLimits l, IndividualsLimits(v));
  EXPECT_NEAR(l.location.center, 33.52, 0.005);
  EXPECT_NEAR(l.spread.center, 0.48, 0.005);
  // The book computes from x̄ and MR̄ rounded to two places and d2 = 1.128: its limits
  // are good to about 0.01.
  EXPECT_NEAR(l.location.upper, 34.80, 0.01);
  EXPECT_NEAR(l.location.lower, 32.24, 0.01);
  EXPECT_NEAR(l.spread.upper, 1.57, 0.005);
  EXPECT_EQ(l.spread.lower, 0);
}

// A subgroup far off, added to the in-control piston rings: the revision drops it and
// comes back to the published limits.
TEST(SpcLimitsTest, RevisingDropsTheSubgroupsOutsideAndEstimatesAgain) {
  std::vector<std::vector<double>> groups = PistonRings("I");
  groups.push_back({74.10, 74.11, 74.09, 74.10, 74.12});
  ASSERT_OK_AND_ASSIGN(VariablesLimits first, XbarRLimits(groups));
  EXPECT_GT(first.location.center, 74.0015);  // pulled up by the stray subgroup
  ASSERT_OK_AND_ASSIGN(RevisedLimits r, XbarRLimitsRevised(groups));
  EXPECT_THAT(r.excluded, ::testing::ElementsAre(25));
  EXPECT_NEAR(r.limits.location.center, 74.00118, 5e-6);
  EXPECT_NEAR(r.limits.location.upper, 74.01430, 5e-6);
}

TEST(SpcLimitsTest, BadInputSaysWhat) {
  std::vector<std::vector<double>> uneven = {{1, 2, 3}, {1, 2}};
  Result<VariablesLimits> r = XbarRLimits(uneven);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("subgroup 2 has 2 values"));
  std::vector<std::vector<double>> one = {{1, 2, 3}};
  EXPECT_FALSE(XbarRLimits(one).ok());
  std::vector<int64_t> d = {3, 60}, n = {50, 50};
  Result<AttributeLimits> p = PLimits(d, n);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), ::testing::HasSubstr("subgroup 2: 60 defective of 50"));
}

}  // namespace
}  // namespace fh::analytics::spc
