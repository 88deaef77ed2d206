// Run rules: each rule fires on the pattern it names, at the point that completes it, and
// not on a pattern one point short.
#include "analytics/spc/run_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace fh::analytics::spc {
namespace {

using ::testing::ElementsAre;

// Center 0, sigma 1: the values are their own zones.
constexpr ControlLimits kUnit{0, -3, 3};

std::vector<std::string> Fired(const std::vector<double>& z, RuleSet set, int rule) {
  std::vector<std::string> out;
  const int enabled[] = {rule};
  for (const RuleViolation& v : CheckRules(z, kUnit, set, enabled))
    out.push_back(std::string(v.rule) + "@" + std::to_string(v.point));
  return out;
}

// Alternating small values (themselves a pattern for rules 4 and 7).
std::vector<double> Quiet(size_t n) {
  std::vector<double> z;
  for (size_t i = 0; i < n; ++i)
    z.push_back(i % 2 ? 0.5 : -0.5);
  return z;
}

TEST(SpcRulesTest, NelsonOneIsAPointBeyondThreeSigma) {
  std::vector<double> z = Quiet(10);
  z[4] = 3.2;
  z[7] = -3.0;  // on the limit: not beyond it
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 1), ElementsAre("nelson-1@4"));
}

TEST(SpcRulesTest, NelsonTwoIsNineOnOneSide) {
  std::vector<double> z = {-1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.1, 0.3, 0.2, 0.5, -0.5};
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 2), ElementsAre("nelson-2@9"));
  z[9] = -0.1;  // eight only
  EXPECT_TRUE(Fired(z, RuleSet::kNelson, 2).empty());
}

TEST(SpcRulesTest, NelsonThreeIsSixRisingOrFalling) {
  const std::vector<double> z = {0, -1, -0.5, 0, 0.5, 1, 1.5, 1.2, 1.0, 0.8, 0.6, 0.4, 0.2};
  // Rising over points 1..6; falling over 6..12, seven points: it fires as the run reaches
  // six (11) and again as it extends (12).
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 3),
              ElementsAre("nelson-3@6", "nelson-3@11", "nelson-3@12"));
}

TEST(SpcRulesTest, NelsonFourIsFourteenAlternating) {
  std::vector<double> z = Quiet(14);
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 4), ElementsAre("nelson-4@13"));
  EXPECT_TRUE(Fired(Quiet(13), RuleSet::kNelson, 4).empty());
}

TEST(SpcRulesTest, NelsonFiveIsTwoOfThreeBeyondTwoSigma) {
  const std::vector<double> z = {0, 2.5, -0.3, 2.1, 0, 2.2, -2.5, 0.1};
  // 2.5 and 2.1 (points 1, 3), then 2.1 and 2.2 (3, 5); -2.5 alone on its side.
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 5), ElementsAre("nelson-5@3", "nelson-5@5"));
}

TEST(SpcRulesTest, NelsonSixIsFourOfFiveBeyondOneSigma) {
  const std::vector<double> z = {0, -1.5, -1.2, 0.2, -1.1, -1.9, 0};
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 6), ElementsAre("nelson-6@5"));
}

TEST(SpcRulesTest, NelsonSevenIsFifteenHuggingTheCenter) {
  std::vector<double> z(15, 0.0);
  for (size_t i = 0; i < z.size(); ++i)
    z[i] = i % 2 ? 0.3 : -0.3;
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 7), ElementsAre("nelson-7@14"));
  z[3] = 1.2;
  EXPECT_TRUE(Fired(z, RuleSet::kNelson, 7).empty());
}

TEST(SpcRulesTest, NelsonEightIsEightAvoidingTheCenter) {
  const std::vector<double> z = {0, 1.5, -1.2, 1.8, -1.1, 1.3, -1.6, 1.2, -1.4, 0};
  EXPECT_THAT(Fired(z, RuleSet::kNelson, 8), ElementsAre("nelson-8@8"));
}

TEST(SpcRulesTest, WesternElectricFourIsEightOnOneSide) {
  std::vector<double> z = {-1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.1, 0.3, 0.2};
  EXPECT_THAT(Fired(z, RuleSet::kWesternElectric, 4), ElementsAre("we-4@8"));
  EXPECT_TRUE(Fired(z, RuleSet::kNelson, 2).empty());  // Nelson asks for nine
}

TEST(SpcRulesTest, AViolationNamesItsPoints) {
  const std::vector<double> z = {0, 2.5, -0.3, 2.1};
  const int rule[] = {2};
  const std::vector<RuleViolation> v = CheckRules(z, kUnit, RuleSet::kWesternElectric, rule);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "we-2");
  EXPECT_EQ(v[0].point, 3u);
  EXPECT_THAT(v[0].points, ElementsAre(1, 3));
  EXPECT_THAT(std::string(v[0].what), ::testing::HasSubstr("two of three"));
}

TEST(SpcRulesTest, PatternlessDataFiresNothingAndLimitsScaleTheZones) {
  const std::vector<double> plain = {0.5, -1.2, 0.3,  1.1, -0.4, -1.3,
                                     0.8, 0.2,  -0.6, 1.4, -0.9, 0.1};
  EXPECT_TRUE(CheckRules(plain, kUnit, RuleSet::kNelson).empty());
  EXPECT_TRUE(CheckRules(plain, kUnit, RuleSet::kWesternElectric).empty());
  // The same pattern in a chart's own units: center 74, sigma 0.01.
  const ControlLimits chart{74.0, 73.97, 74.03};
  const std::vector<double> x = {74.0, 74.035, 74.0};
  const int rule[] = {1};
  const std::vector<RuleViolation> v = CheckRules(x, chart, RuleSet::kNelson, rule);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].point, 1u);
}

}  // namespace
}  // namespace fh::analytics::spc
