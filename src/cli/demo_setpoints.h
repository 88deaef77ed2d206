// The demo's set-point recommendation (docs/optimize.md#set-points): for line 2's mill-01, the
// spindle speed and torque that minimise the failure model's predicted risk, its other inputs
// held at the mill's latest values, its mechanical power kept at or above a throughput floor.
// Written as a controls spec into the hub's folder, computed once at start-up; the API answers
// the same spec (POST /api/v1/optimize).
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoControlsFile = "ai4i-controls.yaml";
// The same spec as an API body ({"yaml": text}), for curl.
inline constexpr const char* kDemoControlsBodyFile = "ai4i-controls.json";

struct DemoSetpoints {
  std::string summary;  // one line: risk now and recommended, the set-points, the search
};

// Writes the spec (and its API body) into `dir` and runs it against the hub's failure model.
Result<DemoSetpoints> RecommendDemoSetpoints(Hub& hub, const std::filesystem::path& dir);

}  // namespace fh::cli
