// A run of the simulated plant, shared by `simulate` and `demo`: DemoPlant's signals stepped
// through time and handed to a writer (the store, a stream ingest, HTTP, MQTT), and, with a
// hub, what the machines did besides — state changes with their reasons, work orders,
// inspections — recorded in its catalog.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "model/sample.h"
#include "sim/demo_plant.h"
#include "sim/demo_production.h"
#include "sim/demo_states.h"
#include "store/hub.h"

namespace fh::sim {

class PlantSimulation {
 public:
  using Writer = std::function<Status(const SampleBatch&)>;
  // `plant` and `hub` outlive the simulation; `hub` null: signals only. With a hub, the
  // plant's machines must be in its catalog (DemoPlant::RegisterInCatalog).
  PlantSimulation(DemoPlant& plant, Writer write, Hub* hub, uint64_t seed);

  // Advances the plant to `ts`, `dt_seconds` after the previous step, and queues its points.
  void Step(TimestampNs ts, double dt_seconds);
  size_t queued() const { return batch_.size(); }
  // Writes the queued points, then records what the machines did meanwhile.
  Status Send();
  // Steps every `every` ns from `from` (rounded down to a multiple) through `until`, sending
  // about 50,000 points at a time. The time of the last step, or `from` - every if none.
  Result<TimestampNs> RunWindow(TimestampNs from, TimestampNs until, int64_t every);

  int64_t points_sent() const { return points_; }
  // "; 12 machine state changes, 8 work orders, 40 inspections recorded" (with a hub).
  std::string Summary() const;

 private:
  DemoPlant& plant_;
  Writer write_;
  Hub* hub_;
  StateRecorder states_;
  ProductionRecorder production_;
  SampleBatch batch_;
  int64_t points_ = 0;
};

}  // namespace fh::sim
