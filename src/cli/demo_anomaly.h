// The demo's anomaly detection (docs/anomaly.md): one PCA detector of spindle speed, torque
// and power, pooled over the line's machines, trained on the history of the running
// machines and judged live like `serve --score`; and faults injected into the live sensors
// so that it has something to find, written to the hub's demo-faults.yaml for `anomaly
// evaluate`.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "sim/fault_plan.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoDetector = "line-1-anomaly";
inline constexpr const char* kDemoFaultsFile = "demo-faults.yaml";

// A day of faults from `from`: every 30 minutes, 5 minutes in, a 4-minute fault — a joint
// one on cnc-02 (torque up, power down: each within its limits), then a torque step on
// cnc-04 — written to DIR/demo-faults.yaml.
Result<sim::FaultPlan> WriteDemoFaults(const std::filesystem::path& dir, TimestampNs from);

// Trains the detector on [from, to) and stores it, unless the registry has one already.
// Returns whether it trained.
Result<bool> TrainDemoDetector(Hub& hub, TimestampNs from, TimestampNs to);

}  // namespace fh::cli
