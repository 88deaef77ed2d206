// serve's SPC monitor (analytics/spc/spc_monitor.h) on a real hub: tag values as the ingest
// hands them over, inspections as they appear in the catalog, limits frozen while it runs,
// and a restart that adds no episode twice.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_monitor.h"
#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/models/spc_event_store.h"
#include "testing/hub_test.h"
#include "testing/status_matchers.h"

namespace fh::analytics::spc {
namespace {

constexpr TimestampNs kT0 = 1767225600'000000000;  // 2026-01-01
constexpr int64_t kSecond = kNanosPerSecond;

class SpcMonitorTest : public fh::testing::HubTest {
 protected:
  SpcConfig Config() {
    Result<SpcConfig> c = SpcConfig::Parse(R"(
characteristics:
  - {name: temp, tag: oven.temp, baseline: 30}
  - {name: bore, inspection: bore_diameter, baseline: 10}
  - {name: idle, tag: oven.fan, baseline: 30}
)",
                                           "spc.yaml");
    EXPECT_OK(c);
    return *c;
  }
  // 30 in-control values of oven.temp, one a second from kT0: 100 ± 1, alternating so the
  // moving range is steady.
  void WriteBaseline() {
    SampleBatch b;
    for (int i = 0; i < 30; ++i)
      b.Add("oven.temp", kT0 + i * kSecond, 100 + (i % 2 ? 0.5 : -0.5) + 0.01 * (i % 7));
    ASSERT_OK(hub_->storage().Write(b));
  }
  std::vector<StoredSpcEvent> Events(const std::string& characteristic = "") {
    EventSession session = hub_->OpenEvents();
    SpcEventFilter f;
    f.characteristic = characteristic;
    f.limit = 1000;
    Result<std::vector<StoredSpcEvent>> e = session.spc_events().List(f);
    EXPECT_OK(e);
    return e.ok() ? *e : std::vector<StoredSpcEvent>{};
  }
  void WriteInspections(TimestampNs ts, std::vector<double> values) {
    CatalogSession session = hub_->OpenCatalog();
    for (size_t k = 0; k < values.size(); ++k) {
      Inspection in;
      in.characteristic = "bore_diameter";
      in.inspected_at = ts;
      in.sample_no = static_cast<int64_t>(k + 1);
      in.value = values[k];
      in.lineage = {.source_system = "test", .source_object = "spc_monitor_test"};
      ASSERT_OK(session.catalog().UpsertInspection(in).status());
    }
  }
};

TEST_F(SpcMonitorTest, JudgesTheTagsValuesAsTheyAreStored) {
  const SpcConfig config = Config();
  WriteBaseline();
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "").status());
  SpcMonitor monitor(*hub_, config);
  ASSERT_OK(monitor.Load(kT0 + 40 * kSecond));
  EXPECT_TRUE(Events().empty());  // nothing after the baseline yet

  // The oven runs hot for four seconds, then comes back; other tags pass by unjudged.
  SampleBatch live;
  const std::vector<double> values = {100.2, 99.8, 130, 131, 129.5, 130.2, 100, 99.9};
  for (size_t i = 0; i < values.size(); ++i) {
    live.Add("oven.temp", kT0 + (40 + static_cast<int64_t>(i)) * kSecond, values[i]);
    live.Add("oven.door", kT0 + (40 + static_cast<int64_t>(i)) * kSecond, 1);
  }
  ASSERT_OK(hub_->storage().Write(live));
  monitor.Observe(live);
  monitor.Observe(live);  // the same batch again (a retry): late, not judged twice
  ASSERT_OK(monitor.RunOnce(kT0 + 60 * kSecond));

  const std::vector<StoredSpcEvent> events = Events("temp");
  const StoredSpcEvent* beyond = nullptr;
  for (const StoredSpcEvent& e : events) {
    EXPECT_EQ(e.limits_version, 1);
    if (e.chart == "i" && e.rule == "nelson-1") beyond = &e;
  }
  ASSERT_NE(beyond, nullptr);
  EXPECT_EQ(beyond->ts, kT0 + 42 * kSecond);
  EXPECT_EQ(beyond->last_ts, kT0 + 45 * kSecond);
  EXPECT_EQ(beyond->points, 4);
  EXPECT_FALSE(beyond->active);
  EXPECT_DOUBLE_EQ(beyond->value, 130);
  const ConnectorStatus st = monitor.status();
  EXPECT_EQ(st.kind, "spc");
  EXPECT_EQ(st.points, 8);   // subgroups judged
  EXPECT_EQ(st.skipped, 8);  // the retried batch
  std::vector<SpcWatch> watches = monitor.watches();
  ASSERT_EQ(watches.size(), 3u);
  EXPECT_EQ(watches[0].limits_version, 1);
  EXPECT_EQ(watches[2].limits_version, 0);  // idle: never frozen, not charted

  // A restart judges what is stored after the baseline again: the same episodes, none added.
  const size_t before = Events().size();
  monitor.Stop();
  SpcMonitor again(*hub_, config);
  ASSERT_OK(again.Load(kT0 + 60 * kSecond));
  EXPECT_EQ(Events().size(), before);
  EXPECT_EQ(again.status().points, 8);
}

// Started, the monitor judges on its own thread what the ingest hands over, in the order it
// was stored: the same subgroups, late values and episodes as judging each batch at once.
TEST_F(SpcMonitorTest, JudgesOnItsOwnThreadAsItWouldAtOnce) {
  const SpcConfig config = Config();
  WriteBaseline();
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "").status());
  // 300 batches of a process that drifts now and then, with a retried batch now and then
  // (late) and a tag without a characteristic between the charted values.
  std::vector<SampleBatch> batches(300);
  uint64_t state = 12345;
  auto noise = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  int64_t second = 40;
  for (size_t b = 0; b < batches.size(); ++b) {
    if (b % 37 == 5) {
      batches[b] = batches[b - 1];
      continue;
    }
    for (int i = 0; i < 5; ++i, ++second) {
      const double drift = (b / 20) % 3 == 1 ? 0.8 : 0;
      batches[b].Add("oven.temp", kT0 + second * kSecond, 100 + drift + 0.6 * noise());
      batches[b].Add("oven.door", kT0 + second * kSecond, 1);
    }
  }
  const SpcMonitorOptions hourly{.every_ns = 3600 * kSecond};
  SpcMonitor threaded(*hub_, config, hourly);
  ASSERT_OK(threaded.Load(kT0 + 40 * kSecond));
  threaded.Start();
  for (const SampleBatch& b : batches)
    threaded.Observe(b);
  // Judged without a RunOnce or a Stop: by the judge thread, within moments.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (threaded.watches()[0].subgroups + threaded.watches()[0].late < 1500 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(threaded.watches()[0].subgroups + threaded.watches()[0].late, 1500);
  threaded.Stop();
  const size_t recorded = Events("temp").size();

  SpcMonitor at_once(*hub_, config, hourly);
  ASSERT_OK(at_once.Load(kT0 + 40 * kSecond));
  for (const SampleBatch& b : batches)
    at_once.Observe(b);
  ASSERT_OK(at_once.RunOnce(kT0 + 4000 * kSecond));
  const SpcWatch a = threaded.watches()[0], b = at_once.watches()[0];
  EXPECT_EQ(a.subgroups, 1460);  // 292 batches of 5
  EXPECT_EQ(a.late, 40);         // the 8 retried
  EXPECT_EQ(a.subgroups, b.subgroups);
  EXPECT_EQ(a.late, b.late);
  EXPECT_EQ(a.last_ts, b.last_ts);
  EXPECT_GT(a.episodes, 5);  // the drifts fire
  EXPECT_EQ(a.episodes, b.episodes);
  EXPECT_EQ(Events("temp").size(), recorded);  // the same episodes: none added
  at_once.Stop();
}

// A judge thread that falls behind does not let the queue grow: past `max_queued` points,
// the writer judges them itself before Observe returns.
TEST_F(SpcMonitorTest, AWriterJudgesWhenTheQueueIsFull) {
  const SpcConfig config = Config();
  WriteBaseline();
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "").status());
  SpcMonitor monitor(*hub_, config, {.every_ns = 3600 * kSecond, .max_queued = 4});
  ASSERT_OK(monitor.Load(kT0 + 40 * kSecond));
  monitor.Start();
  SampleBatch few, many;
  few.Add("oven.temp", kT0 + 40 * kSecond, 100);
  for (int i = 0; i < 10; ++i)
    many.Add("oven.temp", kT0 + (41 + i) * kSecond, 100);
  monitor.Observe(few);   // queued (unless the thread took it already)
  monitor.Observe(many);  // 11 queued: judged here
  EXPECT_EQ(monitor.watches()[0].subgroups, 11);
  monitor.Stop();
}

// A characteristic with `ewma:` and `cusum:` is also judged by them: a sustained shift of
// about 1.5σ, inside the Shewhart limits, is recorded as EWMA and CUSUM episodes, the
// CUSUM's beginning where the shift did.
TEST_F(SpcMonitorTest, JudgesEwmaAndCusumWhenAskedFor) {
  ASSERT_OK_AND_ASSIGN(SpcConfig config, SpcConfig::Parse(R"(
characteristics:
  - {name: temp, tag: oven.temp, baseline: 30, rules: [nelson-1], ewma: true, cusum: true}
)",
                                                          "spc.yaml"));
  WriteBaseline();
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "").status());
  SpcMonitor monitor(*hub_, config);
  ASSERT_OK(monitor.Load(kT0 + 40 * kSecond));
  SampleBatch live;
  for (int i = 0; i < 30; ++i) {
    const double shift = i >= 10 ? 1.3 : 0;
    live.Add("oven.temp", kT0 + (40 + i) * kSecond, 100 + (i % 2 ? 0.3 : -0.3) + shift);
  }
  ASSERT_OK(hub_->storage().Write(live));
  monitor.Observe(live);
  ASSERT_OK(monitor.RunOnce(kT0 + 80 * kSecond));
  const StoredSpcEvent* ewma = nullptr;
  const StoredSpcEvent* cusum = nullptr;
  const std::vector<StoredSpcEvent> events = Events("temp");
  for (const StoredSpcEvent& e : events) {
    EXPECT_NE(e.rule, "nelson-2");  // only the rules asked for
    if (e.chart == "ewma") ewma = &e;
    if (e.chart == "cusum") cusum = &e;
  }
  ASSERT_NE(ewma, nullptr);
  ASSERT_NE(cusum, nullptr);
  EXPECT_EQ(cusum->rule, "upper");
  EXPECT_EQ(cusum->first_ts, kT0 + 50 * kSecond);  // the first shifted value
  EXPECT_GT(cusum->ts, kT0 + 50 * kSecond);
  EXPECT_EQ(cusum->last_ts, kT0 + 69 * kSecond);  // the sum stays above H
  EXPECT_TRUE(cusum->active);
  EXPECT_EQ(ewma->rule, "beyond-limits");
  EXPECT_GT(ewma->ts, kT0 + 50 * kSecond);
  for (const StoredSpcEvent& e : events)
    EXPECT_FALSE(e.chart == "i" && e.rule == "nelson-1");  // inside the 3σ limits
}

// An attribute characteristic (chart: p) is judged live as its subgroups appear: a sample of
// 20 with 12 failed, against p̄ 0.1 from the baseline, is recorded as beyond the limits.
TEST_F(SpcMonitorTest, JudgesAttributeCharacteristicsLive) {
  ASSERT_OK_AND_ASSIGN(SpcConfig config, SpcConfig::Parse(R"(
characteristics:
  - {name: seal, inspection: seal_check, chart: p, baseline: 5}
)",
                                                          "spc.yaml"));
  auto sample = [&](TimestampNs ts, int failed) {
    CatalogSession session = hub_->OpenCatalog();
    for (int k = 0; k < 20; ++k) {
      Inspection in;
      in.characteristic = "seal_check";
      in.inspected_at = ts;
      in.sample_no = k + 1;
      in.result = k < failed ? InspectionResult::kFail : InspectionResult::kPass;
      in.lineage = {.source_system = "test", .source_object = "spc_monitor_test"};
      ASSERT_OK(session.catalog().UpsertInspection(in).status());
    }
  };
  for (int i = 0; i < 5; ++i)
    sample(kT0 + i * kSecond, 2);
  ASSERT_OK_AND_ASSIGN(FrozenLimits f, FreezeLimits(*hub_, *config.Find("seal"), TimeRange{}, ""));
  EXPECT_EQ(f.chart, "p");
  EXPECT_DOUBLE_EQ(f.limits.location.center, 0.1);
  SpcMonitor monitor(*hub_, config);
  ASSERT_OK(monitor.Load(kT0 + 10 * kSecond));
  sample(kT0 + 20 * kSecond, 3);
  sample(kT0 + 21 * kSecond, 12);
  sample(kT0 + 22 * kSecond, 1);
  ASSERT_OK(monitor.RunOnce(kT0 + 30 * kSecond));
  const std::vector<StoredSpcEvent> events = Events("seal");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].chart, "p");
  EXPECT_EQ(events[0].rule, "beyond-limits");
  EXPECT_EQ(events[0].ts, kT0 + 21 * kSecond);
  EXPECT_DOUBLE_EQ(events[0].value, 0.6);
  EXPECT_FALSE(events[0].active);
  EXPECT_EQ(monitor.status().points, 3);
}

TEST_F(SpcMonitorTest, LimitsFrozenWhileRunningArePickedUp) {
  const SpcConfig config = Config();
  WriteBaseline();
  SpcMonitor monitor(*hub_, config);
  ASSERT_OK(monitor.Load(kT0 + 40 * kSecond));
  SampleBatch hot;
  hot.Add("oven.temp", kT0 + 40 * kSecond, 150);
  monitor.Observe(hot);  // no limits yet: not charted
  ASSERT_OK(monitor.RunOnce(kT0 + 41 * kSecond));
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(monitor.status().points, 0);

  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "").status());
  ASSERT_OK(monitor.RunOnce(kT0 + 42 * kSecond));
  SampleBatch hotter;
  hotter.Add("oven.temp", kT0 + 43 * kSecond, 160);
  monitor.Observe(hotter);
  ASSERT_OK(monitor.RunOnce(kT0 + 44 * kSecond));
  const std::vector<StoredSpcEvent> events = Events("temp");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rule, "nelson-1");
  EXPECT_EQ(events[0].ts, kT0 + 43 * kSecond);
  EXPECT_TRUE(events[0].active);

  // A new version replaces the chart; the old chart's open episode is written first.
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("temp"), TimeRange{}, "again").status());
  ASSERT_OK(monitor.RunOnce(kT0 + 45 * kSecond));
  EXPECT_EQ(monitor.watches()[0].limits_version, 2);
}

TEST_F(SpcMonitorTest, JudgesNewInspectionSubgroupsFromTheCatalog) {
  const SpcConfig config = Config();
  // Ten baseline subgroups of five bores around 25.000, then frozen.
  for (int g = 0; g < 10; ++g) {
    WriteInspections(kT0 + g * 60 * kSecond, {25.000, 25.002, 24.998, 25.001 + 0.0001 * g, 24.999});
  }
  ASSERT_OK(FreezeLimits(*hub_, *config.Find("bore"), TimeRange{}, "").status());
  SpcMonitor monitor(*hub_, config);
  ASSERT_OK(monitor.Load(kT0 + 11 * 60 * kSecond));
  EXPECT_EQ(monitor.status().points, 0);

  // The tool wears: the bores come out 0.01 mm large; one subgroup of three is left out.
  WriteInspections(kT0 + 12 * 60 * kSecond, {25.010, 25.012, 25.008, 25.011, 25.009});
  WriteInspections(kT0 + 13 * 60 * kSecond, {25.010, 25.012, 25.008});
  ASSERT_OK(monitor.RunOnce(kT0 + 14 * 60 * kSecond));
  const std::vector<StoredSpcEvent> events = Events("bore");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].chart, "xbar");
  EXPECT_EQ(events[0].rule, "nelson-1");
  EXPECT_EQ(events[0].ts, kT0 + 12 * 60 * kSecond);
  EXPECT_NEAR(events[0].value, 25.010, 1e-9);
  EXPECT_EQ(monitor.status().points, 1);
  // Polled again: nothing new, nothing judged twice.
  ASSERT_OK(monitor.RunOnce(kT0 + 15 * 60 * kSecond));
  EXPECT_EQ(monitor.status().points, 1);
}

}  // namespace
}  // namespace fh::analytics::spc
