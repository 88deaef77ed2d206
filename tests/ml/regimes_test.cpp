// Operating regimes learned leak-free (issue 23): k-means finds a fleet's regimes from its
// settings; per-regime normalisation takes the regimes' offsets out; and nothing fitted
// depends on a row it was not given (a fold's held-out units).
#include "ml/preprocess/regimes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "testing/status_matchers.h"

namespace fh::ml {
namespace {

// Six operating conditions as in C-MAPSS FD002 (altitude in kft, Mach, throttle), units
// spread over them at random; a sensor whose level is the regime's plus wear plus noise.
struct Fleet {
  Dataset data;
  std::vector<int> truth;  // each row's regime
};

Fleet MakeFleet(size_t rows, uint64_t seed) {
  const double kSettings[6][3] = {{0, 0, 100},    {10, 0.25, 100}, {20, 0.7, 100},
                                  {25, 0.62, 60}, {35, 0.84, 100}, {42, 0.84, 100}};
  const double kLevel[6] = {518.7, 491.2, 462.5, 445.0, 449.4, 489.1};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  Fleet f;
  f.data.features = {"altitude", "mach", "throttle", "t24", "wear"};
  for (size_t i = 0; i < rows; ++i) {
    const int r = static_cast<int>(rng() % 6);
    const double wear = static_cast<double>(i % 200) / 200.0;
    f.data.x.push_back(static_cast<float>(kSettings[r][0] + 0.003 * noise(rng)));
    f.data.x.push_back(static_cast<float>(kSettings[r][1] + 0.0003 * noise(rng)));
    f.data.x.push_back(static_cast<float>(kSettings[r][2]));
    f.data.x.push_back(static_cast<float>(kLevel[r] + 5 * wear + 0.5 * noise(rng)));
    f.data.x.push_back(static_cast<float>(wear));
    f.data.y.push_back(wear);
    f.truth.push_back(r);
  }
  return f;
}

std::vector<size_t> Range(size_t from, size_t to) {
  std::vector<size_t> out;
  for (size_t i = from; i < to; ++i)
    out.push_back(i);
  return out;
}

TEST(RegimesTest, KMeansFindsTheSixOperatingConditions) {
  Fleet f = MakeFleet(3000, 7);
  const std::vector<size_t> settings = {0, 1, 2};
  auto model = FitRegimes(f.data, Range(0, 3000), settings, {.k = 6, .seed = 42});
  ASSERT_OK(model);
  const std::vector<int> found = model->AssignAll(f.data);
  // The same partition (cluster numbers are arbitrary): each true regime maps to one cluster
  // and no two regimes share one.
  std::vector<int> cluster_of(6, -1);
  for (size_t i = 0; i < found.size(); ++i) {
    if (cluster_of[f.truth[i]] == -1) cluster_of[f.truth[i]] = found[i];
    ASSERT_EQ(found[i], cluster_of[f.truth[i]]) << "row " << i;
  }
  std::sort(cluster_of.begin(), cluster_of.end());
  EXPECT_EQ(std::unique(cluster_of.begin(), cluster_of.end()) - cluster_of.begin(), 6);
  // Seeded: the same centres again.
  auto again = FitRegimes(f.data, Range(0, 3000), settings, {.k = 6, .seed = 42});
  ASSERT_OK(again);
  EXPECT_EQ(again->centres, model->centres);
  // A row missing a setting has no regime; too few rows for k is an error.
  std::vector<float> row = {10, NAN, 100, 490, 0};
  EXPECT_EQ(model->Assign(row), -1);
  EXPECT_FALSE(FitRegimes(f.data, Range(0, 3), settings, {.k = 6}).ok());
}

TEST(RegimesTest, PerRegimeZScoreTakesTheRegimesOffsetsOut) {
  Fleet f = MakeFleet(3000, 11);
  const std::vector<size_t> settings = {0, 1, 2}, sensor = {3};
  const std::vector<size_t> train = Range(0, 2000);
  auto model = FitRegimes(f.data, train, settings, {.k = 6, .seed = 1});
  ASSERT_OK(model);
  const std::vector<int> regime = model->AssignAll(f.data);
  // Before: the sensor's spread is the regimes' (tens of degrees); wear explains little.
  auto correlation = [](const Dataset& d, size_t col) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    const double n = static_cast<double>(d.rows());
    for (size_t i = 0; i < d.rows(); ++i) {
      const double x = d.row(i)[col], y = d.y[i];
      sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
    }
    return (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  };
  EXPECT_LT(std::abs(correlation(f.data, 3)), 0.2);
  const RegimeNormalizer z =
      RegimeNormalizer::Fit(f.data, train, regime, sensor, RegimeScaling::kZScore, 6);
  Dataset normalised = f.data;
  z.Apply(normalised, regime);
  // After: within each regime the sensor is centred, and what is left is the wear.
  EXPECT_GT(correlation(normalised, 3), 0.9);
  for (int r = 0; r < 6; ++r) {
    double sum = 0;
    int n = 0;
    for (size_t i : train) {
      if (regime[i] != r) continue;
      sum += normalised.row(i)[3];
      ++n;
    }
    ASSERT_GT(n, 0);
    EXPECT_NEAR(sum / n, 0, 1e-4) << "regime " << r;
  }
  // Min-max puts the training rows of each regime in [0, 1].
  const RegimeNormalizer mm =
      RegimeNormalizer::Fit(f.data, train, regime, sensor, RegimeScaling::kMinMax, 6);
  Dataset scaled = f.data;
  mm.Apply(scaled, regime);
  for (size_t i : train) {
    EXPECT_GE(scaled.row(i)[3], -1e-6);
    EXPECT_LE(scaled.row(i)[3], 1 + 1e-6);
  }
}

// Leak-free: what is fitted on the training rows is the same whatever the held-out rows
// hold, and differs from fitting on every row.
TEST(RegimesTest, NothingIsFittedOnHeldOutRows) {
  Fleet f = MakeFleet(3000, 5);
  const std::vector<size_t> settings = {0, 1, 2}, sensor = {3};
  const std::vector<size_t> train = Range(0, 2000);
  Fleet tampered = f;
  for (size_t i = 2000; i < 3000; ++i) {
    tampered.data.x[i * 5 + 0] += 7;     // another altitude
    tampered.data.x[i * 5 + 3] += 1000;  // a sensor gone wild
  }
  auto a = FitRegimes(f.data, train, settings, {.k = 6, .seed = 3});
  auto b = FitRegimes(tampered.data, train, settings, {.k = 6, .seed = 3});
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->centres, b->centres);
  EXPECT_EQ(a->mean, b->mean);
  const std::vector<int> ra = a->AssignAll(f.data), rb = b->AssignAll(tampered.data);
  const auto za = RegimeNormalizer::Fit(f.data, train, ra, sensor, RegimeScaling::kZScore, 6);
  const auto zb =
      RegimeNormalizer::Fit(tampered.data, train, rb, sensor, RegimeScaling::kZScore, 6);
  EXPECT_EQ(za.offset(), zb.offset());
  EXPECT_EQ(za.scale(), zb.scale());
  const auto all =
      RegimeNormalizer::Fit(tampered.data, Range(0, 3000), rb, sensor, RegimeScaling::kZScore, 6);
  EXPECT_NE(all.offset(), zb.offset());
}

}  // namespace
}  // namespace fh::ml
