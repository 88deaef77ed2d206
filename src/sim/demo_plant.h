// The demo plant behind `factoryhub demo`: one machining line of four CNC machines whose
// signals follow the AI4I 2020 predictive-maintenance data set (../datasets): spindle
// speed, torque, process and air temperature, tool wear, and the power they imply.
//
// Values are seeded, mean-reverting random walks with the physics kept plausible (power
// = torque × angular speed; process temperature tracks air temperature plus ~10 K; tool
// wear grows while cutting and resets at a tool change; machines stop now and then). The
// same seed and the same timestamps give the same values on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "sim/fault_plan.h"
#include "store/hub.h"

namespace fh::sim {

struct DemoSignal {
  std::string tag;          // "line-1.cnc-01.spindle_speed"
  std::string machine;      // "cnc-01"
  std::string unit;         // "rpm"
  std::string description;  // for the catalog
  double lo_limit = 0;      // engineering limits
  double hi_limit = 0;
};

class DemoPlant {
 public:
  static constexpr const char* kLinePath = "acme/shanghai/machining/line-1";
  static constexpr int64_t kMachines = 4;

  // `machines` CNC machines, cnc-01, cnc-02, ...; their nominal speeds cycle through four.
  explicit DemoPlant(uint64_t seed = 20260301, int64_t machines = kMachines);

  // Every signal, machine by machine; each machine's tags start "line-1.<machine>.".
  const std::vector<DemoSignal>& signals() const { return signals_; }

  // Continues the walks from stored values (when a demo hub is reused), by tag name.
  // Tags without a value keep their defaults.
  void Resume(const std::vector<std::pair<std::string, double>>& last_values);

  // Advances every machine by dt_seconds and adds one point per signal at `ts`.
  void Step(TimestampNs ts, double dt_seconds, SampleBatch* out);

  // Faults to inject into what the sensors report (null: none); `plan` outlives the plant.
  void SetFaults(FaultPlan* plan) { faults_ = plan; }

  // Creates the asset hierarchy and the tag metadata (units, limits) in the hub's catalog.
  // Idempotent. Takes the hub's catalog mutex.
  Status RegisterInCatalog(Hub& hub) const;

  // A machine starting or stopping, and why it stopped: what the equipment state events
  // (OEE availability, the downtime Pareto) are made of. Kept only once asked for.
  struct Transition {
    std::string machine;
    TimestampNs ts = 0;
    bool running = true;
    std::string reason;  // a stop's reason code (JAM, TOOL, ESTOP, MAINT); "" when running
  };
  void KeepTransitions() { keep_transitions_ = true; }
  // Each machine's state now, for production records beside the signals.
  struct MachineState {
    std::string name;
    bool running = true;
    double tool_wear = 0;  // minutes of cutting on the current tool
  };
  std::vector<MachineState> machine_states() const {
    std::vector<MachineState> out;
    for (const Machine& m : machines_)
      out.push_back({m.name, m.running, m.tool_wear});
    return out;
  }
  // The transitions since the last call; the first step reports each machine's state.
  std::vector<Transition> TakeTransitions() { return std::exchange(transitions_, {}); }
  // The reason codes' descriptions, for the catalog.
  static const std::vector<std::pair<std::string, std::string>>& StopReasons();

 private:
  struct Machine {
    std::string name;
    double nominal_speed;  // rpm while cutting
    double speed, torque, air_temp, process_temp, tool_wear, power;
    bool running = true;
    uint32_t first_tag = 0;  // batch-independent index into signals_
  };
  double Uniform();  // in [-1, 1)
  bool Chance(double p);

  uint64_t rng_;
  FaultPlan* faults_ = nullptr;
  bool keep_transitions_ = false;
  bool first_step_ = true;
  std::vector<Transition> transitions_;
  std::vector<Machine> machines_;
  std::vector<DemoSignal> signals_;
};

}  // namespace fh::sim
