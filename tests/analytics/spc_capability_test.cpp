// Capability against the piston-ring figures (qcc's process.capability on Montgomery's
// data, data/spc/SOURCE.md), its intervals, and the normality check before it.
#include "analytics/spc/capability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "analytics/spc/control_limits.h"
#include "analytics/spc_data.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

std::vector<double> Flatten(const std::vector<std::vector<double>>& groups) {
  std::vector<double> out;
  for (const auto& g : groups)
    out.insert(out.end(), g.begin(), g.end());
  return out;
}

TEST(SpcCapabilityTest, PistonRingsAsPublished) {
  const auto groups = testdata::PistonRings("I");
  ASSERT_OK_AND_ASSIGN(VariablesLimits l, XbarRLimits(groups));
  ASSERT_OK_AND_ASSIGN(Capability c, ComputeCapability(Flatten(groups), l.sigma_within,
                                                       {.lower = 73.95, .upper = 74.05}));
  EXPECT_EQ(c.n, 125);
  ASSERT_TRUE(c.cp && c.cpk && c.pp && c.ppk);
  EXPECT_NEAR(c.cp->value, 1.703, 0.0005);
  EXPECT_NEAR(c.cpk->value, 1.663, 0.0005);
  EXPECT_NEAR(c.pp->value, 1.655, 0.0005);
  EXPECT_NEAR(c.ppk->value, 1.616, 0.0005);
  // Cpk is the nearer side: the mean is above 74, so the upper one.
  ASSERT_TRUE(c.cpu && c.cpl);
  EXPECT_DOUBLE_EQ(c.cpk->value, *c.cpu);
  EXPECT_LT(*c.cpu, *c.cpl);
  // The intervals hold the estimate; Cp's is χ² based: 1.703 · √(χ²(0.025, 124)/124) =
  // 1.703 · 0.8757 and · √(χ²(0.975, 124)/124) = 1.703 · 1.1241.
  EXPECT_NEAR(c.cp->confidence.low, 1.703 * 0.8757, 0.002);
  EXPECT_NEAR(c.cp->confidence.high, 1.703 * 1.1241, 0.002);
  for (const Index& i : {*c.cp, *c.cpk, *c.pp, *c.ppk}) {
    EXPECT_LT(i.confidence.low, i.value);
    EXPECT_GT(i.confidence.high, i.value);
  }
  // Bissell: Cpk ± 1.96 √(1/(9n) + Cpk²/(2(n-1))).
  const double half = 1.959964 * std::sqrt(1.0 / (9 * 125) + 1.663 * 1.663 / (2 * 124));
  EXPECT_NEAR(c.cpk->confidence.high - c.cpk->value, half, 0.0005);
  EXPECT_TRUE(c.normality.normal) << "A² " << c.normality.a2 << " p " << c.normality.p_value;
}

TEST(SpcCapabilityTest, OneSidedSpecsGiveOneSidedIndicesAndATargetCpm) {
  const std::vector<double> v = testdata::Column("primer_viscosity.csv", 1);
  ASSERT_OK_AND_ASSIGN(Capability upper_only, ComputeCapability(v, 0.426, {.upper = 35.0}));
  EXPECT_FALSE(upper_only.cp);
  EXPECT_FALSE(upper_only.cpl);
  ASSERT_TRUE(upper_only.cpu);
  EXPECT_DOUBLE_EQ(upper_only.cpk->value, *upper_only.cpu);
  EXPECT_NEAR(*upper_only.cpu, (35.0 - 33.5233) / (3 * 0.426), 0.0005);

  ASSERT_OK_AND_ASSIGN(Capability both,
                       ComputeCapability(v, 0.426, {.lower = 32, .upper = 35, .target = 33.5}));
  ASSERT_TRUE(both.cpm);
  EXPECT_LT(*both.cpm, both.pp->value + 1e-12);  // off target costs
}

// Normal-score data passes; exponential-score data (skewed) does not.
TEST(SpcCapabilityTest, AndersonDarlingTellsNormalFromSkewed) {
  std::vector<double> normal, skewed;
  for (int i = 1; i <= 100; ++i) {
    const double p = (i - 0.5) / 100;
    // Normal quantile by bisection on erfc (the test must not share the code's boost call).
    double lo = -10, hi = 10;
    for (int k = 0; k < 100; ++k) {
      const double mid = (lo + hi) / 2;
      (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    normal.push_back(lo);
    skewed.push_back(-std::log(1 - p));
  }
  ASSERT_OK_AND_ASSIGN(NormalityTest n, AndersonDarling(normal));
  EXPECT_TRUE(n.normal);
  EXPECT_LT(n.a2, 0.2);
  EXPECT_GT(n.p_value, 0.5);
  ASSERT_OK_AND_ASSIGN(NormalityTest s, AndersonDarling(skewed));
  EXPECT_FALSE(s.normal);
  EXPECT_LT(s.p_value, 0.001);
  EXPECT_GT(s.a2, 2);
}

TEST(SpcCapabilityTest, BadInputSaysWhat) {
  const std::vector<double> few = {1, 2, 3};
  EXPECT_FALSE(ComputeCapability(few, 1, {.upper = 4}).ok());
  const std::vector<double> v = testdata::Column("primer_viscosity.csv", 1);
  Result<Capability> none = ComputeCapability(v, 0.4, {});
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), ::testing::HasSubstr("spec limit"));
  Result<Capability> crossed = ComputeCapability(v, 0.4, {.lower = 35, .upper = 32});
  ASSERT_FALSE(crossed.ok());
  EXPECT_THAT(crossed.status().message(), ::testing::HasSubstr("not below"));
  const std::vector<double> flat(10, 5.0);
  EXPECT_FALSE(AndersonDarling(flat).ok());
}

}  // namespace
}  // namespace fh::analytics::spc
