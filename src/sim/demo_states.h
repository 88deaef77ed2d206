// Equipment state events from the demo plant's transitions: each machine's current state
// is an open event (running, or down with its reason) that the next transition closes.
// What `simulate --hub` records beside the signals, for OEE availability and the
// downtime Pareto.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/equipment_state.h"
#include "sim/demo_plant.h"
#include "store/hub.h"

namespace fh::sim {

class StateRecorder {
 public:
  // Closes each machine's open event at the transition and opens the next. Takes the
  // hub's catalog mutex; the machines' assets must exist (DemoPlant::RegisterInCatalog).
  Status Record(Hub& hub, const std::vector<DemoPlant::Transition>& transitions);
  int64_t recorded() const { return recorded_; }

 private:
  std::map<std::string, EquipmentStateEvent> open_;  // by machine
  std::map<std::string, int64_t> reason_ids_;        // by code
  int64_t recorded_ = 0;
};

}  // namespace fh::sim
