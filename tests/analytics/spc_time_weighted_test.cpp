// CUSUM and EWMA against Montgomery's Table 9.1 examples (data/spc/SOURCE.md).
#include "analytics/spc/time_weighted.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analytics/spc_data.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

std::vector<double> Table91() {
  return testdata::Column("cusum_table_9_1.csv", 1);
}

// Example 9.1: the tabular CUSUM with K = 0.5σ, H = 5σ, μ0 = 10, σ = 1.
TEST(SpcCusumTest, TabularCusumAsTabulated) {
  const std::vector<double> x = Table91();
  ASSERT_EQ(x.size(), 30u);
  ASSERT_OK_AND_ASSIGN(CusumChart c, Cusum(x, {.k = 0.5, .h = 5, .target = 10, .sigma = 1}));
  // C+ of periods 1 to 29 as Table 9.2 prints it (two decimals).
  const double upper[] = {0,    0,    0,    1.16, 2.82, 2.50, 0.04, 1.00, 0,   0,
                          0,    0.97, 0.98, 0,    0,    0,    0.12, 0,    0,   0.34,
                          0.74, 0,    1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28};
  for (size_t i = 0; i < std::size(upper); ++i)
    EXPECT_NEAR(c.upper[i], upper[i], 0.005) << "period " << i + 1;
  ASSERT_TRUE(c.first_signal);
  EXPECT_EQ(*c.first_signal + 1, 29u);
  EXPECT_EQ(c.run_length, 7u);  // N+ = 7: the shift began after period 22
  EXPECT_DOUBLE_EQ(c.decision, 5);
  for (double lo : c.lower)
    EXPECT_LE(lo, 5);
}

// Example 9.2: EWMA with λ = 0.1, L = 2.7 signals at period 29.
TEST(SpcEwmaTest, SignalsWhereTheTextbookSays) {
  const std::vector<double> x = Table91();
  ASSERT_OK_AND_ASSIGN(EwmaChart e,
                       Ewma(x, {.lambda = 0.1, .width = 2.7, .target = 10, .sigma = 1}));
  ASSERT_TRUE(e.first_signal);
  EXPECT_EQ(*e.first_signal + 1, 29u);
  EXPECT_NEAR(e.points[28].z, 10.65, 0.005);
  EXPECT_NEAR(e.points[28].limits.upper, 10.62, 0.005);
  // Period 1: z = 0.1·9.45 + 0.9·10 = 9.945, limits 10 ± 2.7·0.1 = 9.73, 10.27.
  EXPECT_NEAR(e.points[0].z, 9.945, 1e-12);
  EXPECT_NEAR(e.points[0].limits.upper, 10.27, 1e-12);
  // The limits widen towards the asymptotic ones: 10 ± 2.7 √(0.1/1.9) = 10 ± 0.6194.
  EXPECT_NEAR(e.asymptotic.upper, 10.6194, 5e-5);
  for (size_t i = 1; i < e.points.size(); ++i)
    EXPECT_GT(e.points[i].limits.upper, e.points[i - 1].limits.upper);
}

// λ = 0.2, L = 3: the asymptotic limits are exactly μ0 ± σ (3 √(0.2/1.8) = 1); the
// drift of Table 9.1 stays inside them.
TEST(SpcEwmaTest, LambdaPointTwoWidthThree) {
  ASSERT_OK_AND_ASSIGN(EwmaChart e,
                       Ewma(Table91(), {.lambda = 0.2, .width = 3, .target = 10, .sigma = 1}));
  EXPECT_NEAR(e.asymptotic.upper, 11.0, 1e-12);
  EXPECT_NEAR(e.asymptotic.lower, 9.0, 1e-12);
  EXPECT_FALSE(e.first_signal);
  // A 2σ step from period 11 on is caught within a few periods.
  std::vector<double> step(30, 10.0);
  for (size_t i = 10; i < step.size(); ++i)
    step[i] = 12.0;
  ASSERT_OK_AND_ASSIGN(EwmaChart s,
                       Ewma(step, {.lambda = 0.2, .width = 3, .target = 10, .sigma = 1}));
  ASSERT_TRUE(s.first_signal);
  EXPECT_EQ(*s.first_signal + 1, 14u);  // z = 10.976 at period 13, 11.181 at 14 > 10.999
}

TEST(SpcEwmaTest, BadOptionsSayWhich) {
  const std::vector<double> x = {1, 2, 3};
  EXPECT_FALSE(Ewma(x, {.lambda = 0}).ok());
  EXPECT_FALSE(Ewma(x, {.lambda = 0.2, .sigma = 0}).ok());
  EXPECT_FALSE(Cusum(x, {.h = 0}).ok());
}

}  // namespace
}  // namespace fh::analytics::spc
