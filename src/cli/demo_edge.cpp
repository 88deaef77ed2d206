#include "cli/demo_edge.h"

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "cli/demo_edge_records.h"
#include "sim/splitmix.h"

namespace fh::cli {

namespace {

constexpr const char* kPresses[] = {"press-1", "press-2"};
constexpr double kSetPoint[] = {182.0, 176.0};

}  // namespace

Result<std::unique_ptr<DemoEdge>> DemoEdge::Start(const std::filesystem::path& dir,
                                                  const std::string& central_url,
                                                  int64_t history_ns, TimestampNs now) {
  // Made afresh: the demo's port (and so the central URL) may change from one start to the
  // next, and the forwarder starts a new epoch, which the central hub recognises.
  const std::filesystem::path edge_dir = dir / (std::string("edge-") + kDemoEdgeSite);
  std::error_code ec;
  std::filesystem::remove_all(edge_dir, ec);
  HubConfig config;
  config.name = kDemoEdgeSite;
  config.sync.central = central_url;
  config.sync.site = kDemoEdgeSite;
  FH_RETURN_IF_ERROR(Hub::Init(edge_dir, config));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, Hub::Open(edge_dir));
  std::unique_ptr<DemoEdge> edge(new DemoEdge(std::move(hub)));
  const TimestampNs start = (now - history_ns) / kNanosPerSecond * kNanosPerSecond;
  SampleBatch history;
  for (TimestampNs t = start; t <= now; t += kNanosPerSecond)
    edge->AddPoints(t, &history);
  FH_RETURN_IF_ERROR(edge->hub_->storage().Write(history));
  edge->last_ = now;
  // Its orders and states go back a working day: the group's OEE has the plant's shifts.
  edge->start_ = now - kDemoEdgeRecordHistory;
  FH_RETURN_IF_ERROR(WriteDemoEdgeRecords(*edge->hub_, edge->start_, now));
  // Its retention: applied once now, so that the rollups go with the history, then every
  // minute.
  const std::string policies =
      "policies:\n"
      "  - {name: presses, tags: 'press-*', raw: 10m, rollup: 1m, rollups: 7d}\n"
      "every: 1m\n";
  { std::ofstream(edge_dir / analytics::retention::kRetentionConfigFile) << policies; }
  FH_ASSIGN_OR_RETURN(
      analytics::retention::RetentionConfig retention,
      analytics::retention::RetentionConfig::Parse(
          policies, (edge_dir / analytics::retention::kRetentionConfigFile).string()));
  FH_RETURN_IF_ERROR(
      analytics::retention::ApplyRetention(edge->hub_->storage(), retention, now).status());
  edge->retention_ = std::make_unique<analytics::retention::RetentionService>(edge->hub_->storage(),
                                                                              std::move(retention));
  edge->forwarder_ = std::make_unique<sync::Forwarder>(*edge->hub_);
  edge->forwarder_->Start();
  edge->retention_->Start();
  DemoEdge* e = edge.get();
  edge->presses_.Start(std::chrono::seconds(1), [e] {
    const TimestampNs t = NowNs() / kNanosPerSecond * kNanosPerSecond;
    if (t > e->last_) {
      // A write the edge cannot make is the edge's own business: the central hub shows
      // the site falling behind.
      const bool new_minute = t / kNanosPerMinute != e->last_ / kNanosPerMinute;
      (void)e->WriteAt(t);
      if (new_minute) (void)UpdateDemoEdgeOrders(*e->hub_, e->start_, t);
    }
  });
  return edge;
}

DemoEdge::~DemoEdge() {
  presses_.Stop();
  if (retention_) retention_->Stop();
  if (forwarder_) forwarder_->Stop();
}

size_t DemoEdge::tags() const {
  return std::size(kPresses) * 3;
}

Status DemoEdge::WriteAt(TimestampNs ts) {
  SampleBatch b;
  AddPoints(ts, &b);
  FH_RETURN_IF_ERROR(hub_->storage().Write(b));
  last_ = ts;
  return Status::Ok();
}

void DemoEdge::AddPoints(TimestampNs ts, SampleBatch* out) {
  SampleBatch& b = *out;
  for (size_t p = 0; p < std::size(kPresses); ++p) {
    // A slow random walk pulled back to the set-point, a pressure that follows it, and the
    // strokes of the day (UTC) of a press stroking every 4 s.
    temperature_[p] += 0.05 * (kSetPoint[p] - temperature_[p]) + 0.3 * sim::StandardNormal(rng_);
    b.Add(fmt::format("{}/temperature", kPresses[p]), ts, std::round(temperature_[p] * 100) / 100);
    b.Add(fmt::format("{}/pressure", kPresses[p]), ts,
          std::round((150 + 0.4 * (temperature_[p] - kSetPoint[p]) + sim::StandardNormal(rng_)) *
                     100) /
              100);
    b.Add(fmt::format("{}/strokes", kPresses[p]), ts,
          static_cast<double>(ts % (24 * kNanosPerHour) / (4 * kNanosPerSecond)));
  }
}

}  // namespace fh::cli
