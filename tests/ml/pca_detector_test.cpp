// The PCA anomaly detector (ml/pca/pca_detector.h): its eigenvalues, limits, T² and SPE
// against an independent computation with NumPy and SciPy (tests/ml/pca_reference.py, run
// with Debian's python3), for static and dynamic PCA; contributions that add up and point at
// the signals that moved; a joint fault no single limit sees; and the stated false-alarm
// rate on fresh normal data.
#include <cstdio>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "ml/pca/pca_detector.h"
#include "ml/pca/pca_limits.h"
#include "testing/source_dir.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::ml {
namespace {

// A process of 5 signals: a load drives a temperature (with a lag) and a current; a
// pressure and a vibration of their own.
std::vector<std::vector<double>> Plant(size_t rows, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  std::vector<std::vector<double>> c(5, std::vector<double>(rows));
  double load = 0, temp = 60;
  for (size_t r = 0; r < rows; ++r) {
    load = 0.9 * load + noise(rng);
    temp = 0.8 * temp + 0.2 * (60 + 2 * load) + 0.3 * noise(rng);
    c[0][r] = 50 + 5 * load + 0.5 * noise(rng);    // load, %
    c[1][r] = temp;                                // temperature, °C
    c[2][r] = 10 + 0.8 * load + 0.2 * noise(rng);  // current, A
    c[3][r] = 3 + 0.1 * noise(rng);                // pressure, bar
    c[4][r] = 0.5 * noise(rng) + 2;                // vibration, mm/s
  }
  return c;
}

const std::vector<std::string> kSignals = {"load", "temp", "current", "pressure", "vibration"};

std::vector<std::span<const double>> Spans(const std::vector<std::vector<double>>& c) {
  return {c.begin(), c.end()};
}

void WriteCsv(const std::filesystem::path& path, const std::vector<std::vector<double>>& c) {
  std::ofstream out(path);
  out.precision(17);
  for (size_t r = 0; r < c[0].size(); ++r) {
    for (size_t s = 0; s < c.size(); ++s)
      out << (s ? "," : "") << c[s][r];
    out << "\n";
  }
}

// What NumPy and SciPy say of the same model.
nlohmann::json Reference(const std::filesystem::path& dir,
                         const std::vector<std::vector<double>>& train,
                         const std::vector<std::vector<double>>& test, int k, double alpha,
                         int lags) {
  WriteCsv(dir / "train.csv", train);
  WriteCsv(dir / "test.csv", test);
  // Debian's python3, which has python3-numpy and python3-scipy (scripts/install-deps).
  const std::string command =
      fmt::format("/usr/bin/python3 {} {} {} {} {} {}",
                  (fh::testing::SourceDir() / "tests/ml/pca_reference.py").string(),
                  (dir / "train.csv").string(), (dir / "test.csv").string(), k, alpha, lags);
  FILE* pipe = popen(command.c_str(), "r");
  std::string text;
  char buf[65536];
  while (pipe != nullptr) {
    const size_t n = fread(buf, 1, sizeof buf, pipe);
    if (n == 0) break;
    text.append(buf, n);
  }
  const int rc = pipe != nullptr ? pclose(pipe) : -1;
  EXPECT_EQ(rc, 0) << command << "\n" << text;
  return nlohmann::json::parse(text, nullptr, false);
}

void ExpectNear(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-7 * (1 + std::abs(want))) << what;
}

class PcaDetectorTest : public ::testing::TestWithParam<int> {  // lags
 protected:
  fh::testing::TempDir tmp_;
};

TEST_P(PcaDetectorTest, AgreesWithNumPyAndSciPy) {
  const int lags = GetParam();
  const auto train = Plant(2000, 1), test = Plant(300, 2);
  PcaOptions options;
  options.lags = lags;
  options.alpha = 0.01;
  ASSERT_OK_AND_ASSIGN(PcaDetector d, PcaDetector::Train(kSignals, train, options));
  const nlohmann::json ref = Reference(tmp_.path(), train, test, d.components(), 0.01, lags);
  ASSERT_FALSE(ref.is_discarded());
  EXPECT_EQ(d.rows(), ref["rows"].get<size_t>());
  const size_t w = kSignals.size() * static_cast<size_t>(lags + 1);
  ASSERT_EQ(d.eigenvalues().size(), w);
  for (size_t i = 0; i < w; ++i)
    ExpectNear(d.eigenvalues()[i], ref["eigenvalues"][i], fmt::format("eigenvalue {}", i));
  for (size_t j = 0; j < w; ++j) {
    ExpectNear(d.mean()[j], ref["mean"][j], fmt::format("mean {}", j));
    ExpectNear(d.scale()[j], ref["scale"][j], fmt::format("scale {}", j));
  }
  EXPECT_GE(d.explained(), 0.9);
  ExpectNear(d.t2_limit(), ref["t2_limit"], "T² limit");
  ExpectNear(d.spe_limit(), ref["spe_limit"], "SPE limit");
  std::vector<PcaScore> scores;
  d.Score(Spans(test), scores);
  ASSERT_EQ(scores.size(), 300u);
  for (int r = 0; r < lags; ++r)
    EXPECT_TRUE(std::isnan(scores[static_cast<size_t>(r)].t2)) << r;
  ASSERT_EQ(ref["t2"].size(), 300u - static_cast<size_t>(lags));
  for (size_t r = static_cast<size_t>(lags); r < 300; ++r) {
    ExpectNear(scores[r].t2, ref["t2"][r - static_cast<size_t>(lags)],
               fmt::format("T² of row {}", r));
    ExpectNear(scores[r].spe, ref["spe"][r - static_cast<size_t>(lags)],
               fmt::format("SPE of row {}", r));
    // The contributions add up to the statistics.
    const PcaContributions c = d.Contribute(Spans(test), r);
    double t2 = 0, spe = 0;
    for (size_t j = 0; j < w; ++j) {
      t2 += c.t2[j];
      spe += c.spe[j];
    }
    ExpectNear(t2, scores[r].t2, fmt::format("T² contributions of row {}", r));
    ExpectNear(spe, scores[r].spe, fmt::format("SPE contributions of row {}", r));
  }
  // Stored and read back, it scores the same.
  ASSERT_OK_AND_ASSIGN(PcaDetector back, PcaDetector::FromJson(d.ToJson()));
  std::vector<PcaScore> again;
  back.Score(Spans(test), again);
  EXPECT_EQ(again[299].t2, scores[299].t2);
  EXPECT_EQ(again[299].spe, scores[299].spe);
}

INSTANTIATE_TEST_SUITE_P(StaticAndDynamic, PcaDetectorTest, ::testing::Values(0, 2));

// The current follows the load; a fault moves them apart, each within its normal range: no
// single limit sees it, SPE does (dynamic PCA: the temperature follows the load with a
// lag), and the contributions name the current first.
TEST(PcaDetectionTest, AJointFaultWithinEverySignalsLimitsShowsInSpe) {
  auto train = Plant(5000, 3);
  PcaOptions options;
  options.lags = 1;
  ASSERT_OK_AND_ASSIGN(PcaDetector d, PcaDetector::Train(kSignals, train, options));
  constexpr size_t kFault = 2000, kRows = 2100;
  auto live = Plant(kRows, 4);
  for (size_t r = kFault; r < kRows; ++r) {  // a load state of +2 (its sd is 2.3) ...
    live[0][r] = 50 + 5 * 2;                 // the load up
    live[1][r] = 60 + 2 * 2;                 // the temperature with it
    live[2][r] = 10 - 0.8 * 2;               // ... but the current as far down
    live[3][r] = 3;
    live[4][r] = 2;
  }
  for (size_t r = kFault; r < kRows; ++r) {  // every signal within its training range
    for (size_t s = 0; s < 5; ++s) {
      const auto [lo, hi] = std::minmax_element(train[s].begin(), train[s].end());
      ASSERT_TRUE(live[s][r] > *lo && live[s][r] < *hi) << kSignals[s] << " row " << r;
    }
  }
  std::vector<PcaScore> scores;
  d.Score(Spans(live), scores);
  double before = 0;
  size_t first = 0, during = 0;
  for (size_t r = 1; r < kRows; ++r) {
    const bool out = scores[r].spe > d.spe_limit() || scores[r].t2 > d.t2_limit();
    if (r < kFault) before += out;
    if (r >= kFault && out && first == 0) first = r;
    if (r >= kFault) during += out;
  }
  EXPECT_LE(before / (kFault - 1), 0.05);  // two limits at 1 % each, autocorrelated data
  EXPECT_LE(first - kFault, 1u);           // detected within a row
  EXPECT_GE(during, kRows - kFault - 1);   // and on every row after
  const PcaContributions c = d.Contribute(Spans(live), kFault + 50);
  const std::vector<double> by_signal = d.BySignal(c.spe);
  ASSERT_EQ(by_signal.size(), 5u);
  const auto top = std::max_element(by_signal.begin(), by_signal.end()) - by_signal.begin();
  EXPECT_EQ(kSignals[static_cast<size_t>(top)], "current");
}

// The limits keep their promise: on fresh normal data each is exceeded by about α of rows.
TEST(PcaDetectionTest, TheFalseAlarmRateIsTheOneStated) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  // Gaussian signals with a correlation (the limits' assumption): two factors, 8 signals.
  auto make = [&](size_t rows) {
    std::vector<std::vector<double>> c(8, std::vector<double>(rows));
    for (size_t r = 0; r < rows; ++r) {
      const double f1 = noise(rng), f2 = noise(rng);
      for (size_t s = 0; s < 8; ++s)
        c[s][r] = (s < 4 ? f1 : f2) * (1 + 0.1 * static_cast<double>(s)) + 0.3 * noise(rng);
    }
    return c;
  };
  const std::vector<std::string> names = {"a", "b", "c", "d", "e", "f", "g", "h"};
  PcaOptions options;
  options.alpha = 0.05;
  ASSERT_OK_AND_ASSIGN(PcaDetector d, PcaDetector::Train(names, make(5000), options));
  EXPECT_EQ(d.components(), 2);
  const auto fresh = make(20000);
  std::vector<PcaScore> scores;
  d.Score(Spans(fresh), scores);
  double t2_out = 0, spe_out = 0;
  for (const PcaScore& s : scores) {
    t2_out += s.t2 > d.t2_limit();
    spe_out += s.spe > d.spe_limit();
  }
  EXPECT_NEAR(t2_out / 20000, 0.05, 0.01);
  EXPECT_NEAR(spe_out / 20000, 0.05, 0.01);
}

TEST(PcaDetectionTest, BadInputSaysWhat) {
  EXPECT_THAT(PcaDetector::Train({"a", "b"}, {{1, 2, 3, 4}, {1, 2}}, {}).status().message(),
              ::testing::HasSubstr("signal 'b' has 2 rows, 'a' 4"));
  EXPECT_THAT(PcaDetector::Train({"a", "b"}, {{1, 2, 3}, {3, 2, 1}}, {}).status().message(),
              ::testing::HasSubstr("3 complete rows for 2 variables"));
  PcaOptions bad;
  bad.alpha = 0.7;
  EXPECT_FALSE(PcaDetector::Train({"a"}, {{1, 2, 3, 4}}, bad).ok());
  EXPECT_THAT(PcaDetector::Train({"a"}, {{1, 2, 3, 4, 5}}, {}).status().message(),
              ::testing::HasSubstr("at least 2 variables"));
  // Every component kept would leave SPE nothing to watch: one fewer at most.
  PcaOptions all;
  all.variance = 1;
  ASSERT_OK_AND_ASSIGN(PcaDetector most, PcaDetector::Train(kSignals, Plant(500, 6), all));
  EXPECT_EQ(most.components(), 4);
  EXPECT_GT(most.spe_limit(), 0);
  all.components = 5;
  EXPECT_THAT(PcaDetector::Train(kSignals, Plant(500, 6), all).status().message(),
              ::testing::HasSubstr("5 components of 5 variables: at most 4"));
  // A missing value leaves its row out of training, and unscored.
  std::vector<std::vector<double>> c = Plant(100, 5);
  c[1][10] = std::numeric_limits<double>::quiet_NaN();
  ASSERT_OK_AND_ASSIGN(PcaDetector d, PcaDetector::Train(kSignals, c, {}));
  EXPECT_EQ(d.rows(), 99u);
  std::vector<PcaScore> scores;
  d.Score(Spans(c), scores);
  EXPECT_TRUE(std::isnan(scores[10].t2));
  EXPECT_FALSE(std::isnan(scores[11].t2));
  EXPECT_FALSE(PcaDetector::FromJson({{"kind", "pca"}}).ok());
}

}  // namespace
}  // namespace fh::ml
