// A second plant in `factoryhub demo`, as a group runs them: an edge hub of its own
// (DIR/edge-suzhou, made afresh on each start) whose two presses write a point per tag
// every second, and whose forwarder sends them to the demo hub as a central hub receives
// them (docs/sync.md): they arrive as suzhou/press-1/temperature ..., and the sources page
// and /api/v1/sync show the site with its lag and backlog from minute one. The edge keeps
// its raw points 10 minutes, then per-minute rollups (its retention.yaml, docs/retention.md),
// which it forwards too. Its relational records (cli/demo_edge_records.h) go the same way.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "analytics/retention/retention_service.h"
#include "common/periodic_thread.h"
#include "common/status.h"
#include "store/hub.h"
#include "sync/forwarder.h"

namespace fh::cli {

inline constexpr const char* kDemoEdgeSite = "suzhou";

class DemoEdge {
 public:
  // Makes the edge hub under `dir`, writes its last `history_ns` of points, and starts its
  // presses and its forwarder to `central_url`.
  static Result<std::unique_ptr<DemoEdge>> Start(const std::filesystem::path& dir,
                                                 const std::string& central_url, int64_t history_ns,
                                                 TimestampNs now);
  ~DemoEdge();

  const std::filesystem::path& dir() const { return hub_->dir(); }
  size_t tags() const;

 private:
  explicit DemoEdge(std::unique_ptr<Hub> hub) : hub_(std::move(hub)) {}
  // One point per tag at `ts`, added to `out`; or written.
  void AddPoints(TimestampNs ts, SampleBatch* out);
  Status WriteAt(TimestampNs ts);

  std::unique_ptr<Hub> hub_;
  std::unique_ptr<sync::Forwarder> forwarder_;
  std::unique_ptr<analytics::retention::RetentionService> retention_;
  PeriodicThread presses_;
  uint64_t rng_ = 0x5eed5u;
  double temperature_[2] = {182.0, 176.0};  // °C, a random walk around the set-point
  TimestampNs last_ = 0;
  TimestampNs start_ = 0;  // of the history: the work orders started then
};

}  // namespace fh::cli
