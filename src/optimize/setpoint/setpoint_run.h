// A set-point search against a hub: the model from its registry, the context (the inputs held
// fixed) from the hub's latest values or a row of the model's data, merged with the spec's own
// values; and the result as JSON, one shape for `factoryhub optimize --json` and
// POST /api/v1/optimize.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "optimize/setpoint/controls_spec.h"
#include "optimize/setpoint/setpoint_search.h"
#include "store/hub.h"

namespace fh::optimize::setpoint {

struct RunRequest {
  ControlsSpec spec;
  std::string model;      // NAME[@VERSION]; empty: the spec's
  std::string equipment;  // an asset path: its tags' latest values; empty: the spec's
  // The N-th row (from 1; negative: from the end, -1 the last) of the model's data in the hub,
  // instead of the latest values.
  std::optional<int64_t> row;
  SearchOptions options;
};

// Where the context's values came from, for the report.
struct ContextSource {
  std::string kind;    // spec, equipment, latest, row
  std::string detail;  // the equipment's path, the row's time, the tags' pattern
};

struct RunResult {
  SetpointResult result;
  ContextSource source;
};

// NotFound for an unknown model or equipment; InvalidArgument for a spec that does not fit.
Result<RunResult> RunSetpointSearch(Hub& hub, const RunRequest& request);

nlohmann::ordered_json SetpointResultJson(const RunResult& run);

}  // namespace fh::optimize::setpoint
