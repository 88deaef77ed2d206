// EWMA and CUSUM judged live (analytics/spc/live_chart.h): where the textbook says they
// signal, and, on any sequence, exactly where the whole-sequence charts
// (time_weighted.h) signal — an episode per run of consecutive signals.
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "analytics/spc/live_chart.h"
#include "analytics/spc/time_weighted.h"
#include "analytics/spc_data.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

// Individuals around μ0 = 10 with σ = 1, as Montgomery's Example 9.1 takes them.
FrozenLimits TenPlusMinusThree() {
  FrozenLimits f;
  f.version = 1;
  f.chart = "i-mr";
  f.limits.subgroup_size = 1;
  f.limits.location = {10, 7, 13};
  f.limits.spread = {1.128, 0, 3.686};
  f.limits.sigma_within = 1;
  return f;
}

struct Span {
  TimestampNs first, from, to;  // first_ts, ts, last_ts
  bool operator==(const Span&) const = default;
};

// The episodes of `chart`/`rule` a live chart opens over `x` (value i at time i + 1).
std::vector<Span> LiveSpans(const std::vector<double>& x, LiveTimeWeighted tw,
                            std::string_view chart, std::string_view rule) {
  LiveChart live(TenPlusMinusThree(), RuleSet::kNelson, {}, {}, tw);
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_TRUE(live.Add(static_cast<TimestampNs>(i + 1), x[i]));
  std::vector<Span> out;
  live.TakeChanged([&](const LiveEpisode& e) {
    if (e.chart == chart && e.rule == rule) out.push_back({e.first_ts, e.ts, e.last_ts});
  });
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) { return a.from < b.from; });
  return out;
}

// Maximal runs of consecutive signalling points, as spans of times (point i at i + 1);
// `first` says where each run's episode begins.
template <typename Signal, typename First>
std::vector<Span> Runs(size_t n, Signal signal, First first) {
  std::vector<Span> out;
  for (size_t i = 0; i < n; ++i) {
    if (!signal(i)) continue;
    const size_t begin = i;
    while (i + 1 < n && signal(i + 1))
      ++i;
    out.push_back(
        {first(begin), static_cast<TimestampNs>(begin + 1), static_cast<TimestampNs>(i + 1)});
  }
  return out;
}

std::vector<Span> EwmaRuns(const std::vector<double>& x, EwmaParameters p) {
  const EwmaChart e =
      std::move(Ewma(x, {.lambda = p.lambda, .width = p.width, .target = 10, .sigma = 1})).value();
  auto out = [&](size_t i) { return !e.points[i].limits.Contains(e.points[i].z); };
  return Runs(x.size(), out, [](size_t i) { return static_cast<TimestampNs>(i + 1); });
}

// C+ (upper) or C- runs above H, each beginning where the sum last left zero.
std::vector<Span> CusumRuns(const std::vector<double>& x, CusumParameters p, bool upper) {
  const CusumChart c = std::move(Cusum(x, {.k = p.k, .h = p.h, .target = 10, .sigma = 1})).value();
  const std::vector<double>& sum = upper ? c.upper : c.lower;
  auto out = [&](size_t i) { return sum[i] > c.decision; };
  auto first = [&](size_t i) {
    while (i > 0 && sum[i - 1] > 0)
      --i;
    return static_cast<TimestampNs>(i + 1);
  };
  return Runs(x.size(), out, first);
}

// Montgomery's Examples 9.1 and 9.2 (Table 9.1: a 1σ shift after period 20): the tabular
// CUSUM (k 0.5, h 5) and the EWMA (λ 0.1, L 2.7) both signal first at period 29, the
// CUSUM's episode beginning at period 23 (N+ = 7).
TEST(LiveTimeWeightedTest, SignalsWhereTheTextbookSays) {
  const std::vector<double> x = testdata::Column("cusum_table_9_1.csv", 1);
  ASSERT_EQ(x.size(), 30u);
  const LiveTimeWeighted tw{EwmaParameters{0.1, 2.7}, CusumParameters{0.5, 5}};
  const std::vector<Span> cusum = LiveSpans(x, tw, "cusum", "upper");
  ASSERT_EQ(cusum.size(), 1u);
  EXPECT_EQ(cusum[0].from, 29);
  EXPECT_EQ(cusum[0].first, 23);
  EXPECT_TRUE(LiveSpans(x, tw, "cusum", "lower").empty());
  const std::vector<Span> ewma = LiveSpans(x, tw, "ewma", "beyond-limits");
  ASSERT_FALSE(ewma.empty());
  EXPECT_EQ(ewma[0].from, 29);
  // Neither is judged unless asked for.
  EXPECT_TRUE(LiveSpans(x, {}, "cusum", "upper").empty());
  EXPECT_TRUE(LiveSpans(x, {}, "ewma", "beyond-limits").empty());
}

// Property: on sequences in control, shifted up or down by a fraction of σ, or drifting,
// with various parameters, the live chart's episodes are exactly the whole-sequence charts'
// runs of signals.
TEST(LiveTimeWeightedTest, EpisodesAreTheWholeSequenceChartsRunsOfSignals) {
  std::mt19937_64 rng(20261204);
  std::normal_distribution<double> noise;
  std::uniform_real_distribution<double> lambda_of(0.05, 1.0), k_of(0.0, 1.0), h_of(2.0, 6.0);
  size_t signals = 0;
  for (int round = 0; round < 200; ++round) {
    const double shift = (round % 5 - 2) * 0.5;  // -1σ .. +1σ
    const double drift = round % 7 == 0 ? 0.01 : 0;
    std::vector<double> x;
    for (int i = 0; i < 300; ++i)
      x.push_back(10 + (i >= 100 ? shift : 0) + drift * i + noise(rng));
    const EwmaParameters ewma{lambda_of(rng), 2.5 + (round % 3) * 0.25};
    const CusumParameters cusum{k_of(rng), h_of(rng)};
    const LiveTimeWeighted tw{ewma, cusum};
    const std::vector<Span> e = EwmaRuns(x, ewma), up = CusumRuns(x, cusum, true),
                            down = CusumRuns(x, cusum, false);
    EXPECT_EQ(LiveSpans(x, tw, "ewma", "beyond-limits"), e) << "round " << round;
    EXPECT_EQ(LiveSpans(x, tw, "cusum", "upper"), up) << "round " << round;
    EXPECT_EQ(LiveSpans(x, tw, "cusum", "lower"), down) << "round " << round;
    signals += e.size() + up.size() + down.size();
  }
  EXPECT_GT(signals, 100u);  // the property was put to the test
}

// On subgroup means, σ is σ within / √n, as a study's EWMA takes it.
TEST(LiveTimeWeightedTest, SubgroupMeansUseSigmaOverRootN) {
  FrozenLimits f;
  f.version = 1;
  f.chart = "xbar-r";
  f.limits.subgroup_size = 4;
  f.limits.location = {10, 8.5, 11.5};  // 3σ/√4 = 1.5
  f.limits.spread = {2.059, 0, 4.698};
  f.limits.sigma_within = 1;
  // Means 10.6 from the start: 1.2σ of a mean, a shift the X̄ chart alone is slow to see.
  LiveChart live(f, RuleSet::kNelson, std::vector<int>{1}, {},
                 {EwmaParameters{0.2, 3}, std::nullopt});
  std::vector<double> means;
  TimestampNs ts = 0;
  for (int g = 0; g < 20; ++g) {
    for (double v : {10.1, 11.1, 10.1, 11.1})
      ASSERT_TRUE(live.Add(++ts, v));
    means.push_back(10.6);
  }
  const EwmaChart e =
      std::move(Ewma(means, {.lambda = 0.2, .width = 3, .target = 10, .sigma = 0.5})).value();
  ASSERT_TRUE(e.first_signal);
  std::vector<LiveEpisode> episodes;
  live.TakeChanged([&](const LiveEpisode& ep) {
    if (ep.chart == "ewma") episodes.push_back(ep);
  });
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].ts, static_cast<TimestampNs>(*e.first_signal * 4 + 1));
  EXPECT_NEAR(episodes[0].value, e.points[*e.first_signal].z, 1e-12);
}

}  // namespace
}  // namespace fh::analytics::spc
