#include "store/codec/decimal.h"

#include <cfloat>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "store_codec/codec_test_data.h"

namespace fh::codec {
namespace {

using testing::FromBits;
using testing::Printed;

// The scale with no exceptions allowed; checks the mantissas decode to the values.
std::optional<int> Scale(const std::vector<double>& values, int max_scale = 9) {
  std::vector<int64_t> m(values.size());
  const std::optional<DecimalPlan> plan = PlanDecimal(values, max_scale, 0, m);
  if (!plan) return std::nullopt;
  EXPECT_TRUE(plan->exceptions.empty());
  std::vector<double> back(values.size());
  MantissasToDoubles(m.data(), m.size(), plan->scale, back.data());
  testing::ExpectSameBits(values, back);
  return plan->scale;
}

TEST(Decimal, FindsTheSmallestScale) {
  struct Case {
    const char* name;
    std::vector<double> values;
    std::optional<int> want;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {
      {"empty", {}, 0},
      {"integers", {0, 1, -2, 1e15}, 0},
      {"one decimal", {0.1, 2, -3.5}, 1},
      {"three decimals", {20.125, 19.99, -0.001}, 3},
      {"trailing zeros do not count", {1.5, 1.50, 2.0}, 1},
      {"nine decimals", {0.123456789}, 9},
      {"ten decimals exceed the default", {0.1234567891}, std::nullopt},
      {"0.1 + 0.2 is not 0.3", {0.1 + 0.2}, std::nullopt},
      {"negative zero", {1.0, -0.0}, std::nullopt},
      {"positive zero", {1.0, 0.0}, 0},
      {"NaN", {1.0, std::numeric_limits<double>::quiet_NaN()}, std::nullopt},
      {"inf", {-inf}, std::nullopt},
      {"denormal", {std::numeric_limits<double>::denorm_min()}, std::nullopt},
      {"DBL_MAX", {DBL_MAX}, std::nullopt},
      {"DBL_MIN", {DBL_MIN}, std::nullopt},
      {"mantissa at 2^51 is too large", {2251799813685248.0}, std::nullopt},
      {"mantissa just below 2^51", {2251799813685247.0}, 0},
      // 1e14 fits at scale 1 but not at scale 2, which 0.25 needs.
      {"scale pushes another value out of range", {1e14, 0.25}, std::nullopt},
      {"full precision", {3.141592653589793}, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Scale(c.values), c.want) << c.name;
  }
}

TEST(Decimal, EveryScaleFromZeroToNine) {
  std::mt19937_64 rng(11);
  for (int d = 0; d <= 9; ++d) {
    std::vector<double> v(1000);
    // + 0.0 turns a printed "-0" (which no scale represents) into +0.0.
    for (auto& x : v)
      x = Printed((static_cast<double>(rng() % 2000001) - 1e6) / 1000, d) + 0.0;
    v.back() = Printed(1 + std::pow(10.0, -d), d);  // one value needs all d decimals
    EXPECT_EQ(Scale(v), d) << d << " decimals";
  }
}

TEST(Decimal, MaxScaleIsHonoured) {
  EXPECT_EQ(Scale({0.125}, 2), std::nullopt);
  EXPECT_EQ(Scale({0.125}, 3), 3);
  EXPECT_EQ(Scale({1e-12}, 18), 12);
  EXPECT_EQ(Scale({1e-12}, 100), 12);  // clamped to 18, not out of the table
  EXPECT_EQ(Scale({0.5}, -1), std::nullopt);
}

TEST(Decimal, ExceptionsAreValuesThatDoNotFit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    const char* name;
    std::vector<double> values;
    size_t max_exceptions;
    std::optional<int> scale;  // nullopt: no plan
    std::vector<uint32_t> exceptions;
    std::vector<int64_t> mantissas;  // checked when not empty
  };
  const Case cases[] = {
      {"none allowed", {1.5, 2.25}, 0, 2, {}, {150, 225}},
      // Raising the scale would cost every value ~3.3 bits; an exception costs ~72.
      {"one allowed", {1.5, 2.25}, 1, 1, {1}, {15, 15}},
      {"NaN keeps the previous mantissa", {1.5, nan, 2.25}, 1, 2, {1}, {150, 150, 225}},
      {"leading -0.0", {-0.0, 1.5}, 1, 1, {0}, {0, 15}},
      {"stray precise value does not raise the scale",
       {1.5, 0.1 + 0.2, 2.5},
       1,
       1,
       {1},
       {15, 15, 25}},
      {"two stray values with room for one", {1.5, 0.1 + 0.2, nan}, 1, std::nullopt, {}, {}},
      {"a value needing a higher scale is the exception",
       {1.5, 2.5, 3.125},
       1,
       1,
       {2},
       {15, 25, 25}},
      {"two values needing a higher scale raise it", {1.5, 2.125, 3.125}, 1, 3, {}, {}},
      {"too large at the scale the rest need", {1e15, 0.5, 0.25}, 1, 2, {0}, {0, 50, 25}},
  };
  for (const Case& c : cases) {
    std::vector<int64_t> m(c.values.size());
    const std::optional<DecimalPlan> plan = PlanDecimal(c.values, 9, c.max_exceptions, m);
    ASSERT_EQ(plan.has_value(), c.scale.has_value()) << c.name;
    if (!plan) continue;
    EXPECT_EQ(plan->scale, *c.scale) << c.name;
    EXPECT_EQ(plan->exceptions, c.exceptions) << c.name;
    if (!c.mantissas.empty()) {
      EXPECT_EQ(m, c.mantissas) << c.name;
    }
  }
}

TEST(Decimal, MantissaToDoubleIsExact) {
  for (int64_t m : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{123456789}, kMaxMantissa - 1,
                    -kMaxMantissa + 1, -kMaxMantissa, kMaxMantissa}) {
    EXPECT_EQ(MantissaToDouble(m), static_cast<double>(m)) << m;
  }
  EXPECT_EQ(std::bit_cast<uint64_t>(MantissaToDouble(0)), 0u);  // +0.0, never -0.0
}

TEST(Decimal, NaNPayloadsNeverQualify) {
  for (uint64_t bits : {0x7ff8000000000000ull, 0x7ff0000000000001ull, 0xfff8000000000000ull,
                        0x7ff4000000000123ull}) {
    EXPECT_EQ(Scale({FromBits(bits)}), std::nullopt);
  }
}

}  // namespace
}  // namespace fh::codec
