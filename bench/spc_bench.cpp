// Live SPC's cost per value (analytics/spc): a batch of 5,000 points of 1,000 tags, as the
// line protocol load sends them (bench/lp_load.cpp, a process in control), judged by
// 1,000 characteristics with frozen limits — by the charts alone, and through the monitor
// as serve's stream ingest calls it, with the charts in cache and (/1) without: in serve,
// parsing and storing the points between two batches pass more than the L2 cache through
// it. bench/run-live measures the same end to end.
#include <filesystem>
#include <random>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/live_chart.h"
#include "analytics/spc/run_rules.h"
#include "analytics/spc/spc_monitor.h"
#include "store/hub.h"
#include "store/models/spc_event_store.h"
#include "store/models/spc_limit_store.h"

namespace {

using namespace fh;
using namespace fh::analytics::spc;

constexpr int kTags = 1000;
constexpr int kBatch = 5000;

// The next batch: kBatch / kTags seconds of every tag, 50 plus noise of sigma 1.
void NextBatch(SampleBatch& b, std::mt19937_64& rng, int64_t& second) {
  std::normal_distribution<double> noise;
  b.Clear();
  for (int k = 0; k < kBatch / kTags; ++k, ++second) {
    for (int t = 0; t < kTags; ++t)
      b.Add(fmt::format("sensor/id={}/value", t), second * kNanosPerSecond, 50 + noise(rng));
  }
}

FrozenLimits Limits() {
  FrozenLimits f;
  f.version = 1;
  f.chart = "i-mr";
  f.limits.subgroup_size = 1;
  f.limits.location = {50, 47, 53};
  f.limits.spread = {1.128, 0, 3.686};
  return f;
}

void BM_LiveCharts(benchmark::State& state) {
  std::vector<std::unique_ptr<LiveChart>> charts;
  for (int t = 0; t < kTags; ++t)
    charts.push_back(
        std::make_unique<LiveChart>(Limits(), RuleSet::kNelson, std::span<const int>{}));
  std::mt19937_64 rng(7);
  int64_t second = 0;
  SampleBatch b;
  for (auto _ : state) {
    state.PauseTiming();
    NextBatch(b, rng, second);
    state.ResumeTiming();
    for (size_t k = 0; k < b.size(); ++k)
      charts[b.tag()[k]]->Add(b.ts()[k], b.value()[k]);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_LiveCharts);

// What serve does between two batches, as far as the cache sees it: megabytes of request
// bodies, parsed batches and chunks pass through it.
void EvictCaches(std::vector<char>& buffer) {
  for (size_t i = 0; i < buffer.size(); i += 64)
    buffer[i] = static_cast<char>(buffer[i] + 1);
  benchmark::DoNotOptimize(buffer.data());
}

void BM_MonitorObserve(benchmark::State& state) {
  const bool cold = state.range(0) != 0;
  std::vector<char> evict(cold ? 8 << 20 : 0);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "fh-spc-bench";
  std::filesystem::remove_all(dir);
  if (!Hub::Init(dir, HubConfig{}).ok()) return state.SkipWithError("init");
  std::unique_ptr<Hub> hub = std::move(Hub::Open(dir)).value();
  std::string yaml = "characteristics:\n";
  for (int t = 0; t < kTags; ++t)
    yaml += fmt::format("  - {{name: s{}, tag: sensor/id={}/value}}\n", t, t);
  SpcConfig config = std::move(SpcConfig::Parse(yaml, "spc.yaml")).value();
  {
    // Stored limits, as `spc freeze` leaves them.
    CatalogSession session = hub->OpenCatalog();
    for (int t = 0; t < kTags; ++t) {
      StoredSpcLimits s;
      s.characteristic = fmt::format("s{}", t);
      s.chart = "i-mr";
      s.subgroup_size = 1;
      s.location_center = 50, s.location_lower = 47, s.location_upper = 53;
      s.spread_center = 1.128, s.spread_lower = 0, s.spread_upper = 3.686;
      s.sigma_within = 1;
      s.subgroups = 30;
      if (!session.spc_limits().Freeze(s).ok()) return state.SkipWithError("freeze");
    }
  }
  SpcMonitor monitor(*hub, config, {.every_ns = 3600 * kNanosPerSecond});
  if (!monitor.Load(0).ok()) return state.SkipWithError("load");
  std::mt19937_64 rng(7);
  int64_t second = 1;
  SampleBatch b;
  for (auto _ : state) {
    state.PauseTiming();
    NextBatch(b, rng, second);
    if (cold) EvictCaches(evict);
    state.ResumeTiming();
    monitor.Observe(b);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  monitor.Stop();
  hub.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_MonitorObserve)->Arg(0)->Arg(1);

// Recording what fires: a second's episodes of the load above (about 75,000: the rules'
// false-alarm rate on a process in control), written to the events database as serve's
// monitor writes them, one transaction a second, into a table that grows.
void BM_RecordEpisodes(benchmark::State& state) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "fh-spc-events";
  std::filesystem::remove_all(dir);
  if (!Hub::Init(dir, HubConfig{}).ok()) return state.SkipWithError("init");
  std::unique_ptr<Hub> hub = std::move(Hub::Open(dir)).value();
  std::vector<std::string> names;
  for (int t = 0; t < kTags; ++t)
    names.push_back(fmt::format("s{}", t));
  constexpr size_t kEpisodes = 75000;
  const std::span<const RunRule> rules = RunRules(RuleSet::kNelson);
  std::mt19937_64 rng(7);
  std::vector<SpcEventRow> rows(kEpisodes);
  int64_t second = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++second;
    for (size_t i = 0; i < kEpisodes; ++i) {
      const RunRule& rule = rules[rng() % rules.size()];
      SpcEventRow& r = rows[i];
      r.characteristic = names[rng() % names.size()];
      r.limits_version = 1;
      r.chart = "i";
      r.rule = rule.id;
      r.what = rule.what;
      r.ts = r.first_ts = r.last_ts = second * kNanosPerSecond + static_cast<int64_t>(i);
      r.points = 1;
      r.value = 50;
      r.active = (i % 2) != 0;
      r.raised_at = second;
    }
    state.ResumeTiming();
    EventSession session = hub->OpenEvents();
    if (!session.spc_events().Upsert(std::span<const SpcEventRow>(rows)).ok())
      return state.SkipWithError("upsert");
  }
  state.SetItemsProcessed(state.iterations() * kEpisodes);
  hub.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RecordEpisodes)->Iterations(8)->Unit(benchmark::kMillisecond);

}  // namespace
