// Scoring the PCA anomaly detector (ml/pca/pca_detector.h) on 50 signals, as serve would on
// live data: rows per second (the target: at least 200,000), static and dynamic
// (2 lags: 150 variables).
#include <random>

#include <benchmark/benchmark.h>

#include "ml/pca/pca_detector.h"

namespace {

std::vector<std::vector<double>> Signals(size_t rows, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  std::vector<std::vector<double>> c(50, std::vector<double>(rows));
  for (size_t r = 0; r < rows; ++r) {
    double f[5];
    for (double& x : f)
      x = noise(rng);
    for (size_t s = 0; s < 50; ++s)
      c[s][r] = f[s % 5] * (1 + 0.05 * static_cast<double>(s)) + 0.2 * noise(rng);
  }
  return c;
}

void BM_PcaScore(benchmark::State& state) {
  std::vector<std::string> names;
  for (int s = 0; s < 50; ++s)
    names.push_back("s" + std::to_string(s));
  fh::ml::PcaOptions options;
  options.lags = static_cast<int>(state.range(0));
  auto detector = fh::ml::PcaDetector::Train(names, Signals(5000, 1), options);
  if (!detector.ok()) {
    state.SkipWithError(detector.status().ToString().c_str());
    return;
  }
  const auto live = Signals(100000, 2);
  const std::vector<std::span<const double>> spans(live.begin(), live.end());
  std::vector<fh::ml::PcaScore> scores;
  for (auto _ : state) {
    detector->Score(spans, scores);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * 100000);
  state.counters["components"] = detector->components();
}
BENCHMARK(BM_PcaScore)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
