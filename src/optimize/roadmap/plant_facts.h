// What the hub measures that a roadmap's effects rest on: over the baseline window, the
// OEE and the stop time by reason of each asset a measure names, the prediction models'
// cross-validated recall, the completeness of the sources a measure connects, and the
// people holding each qualification with the skill gaps. Read once per plan, only for what
// the catalogue names; the planner turns them into effects (roadmap_plan.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/roadmap/catalogue.h"
#include "store/hub.h"

namespace fh::optimize {

struct AssetFacts {
  double planned_busy_s = 0;                   // the OEE's planned busy time in the window
  std::map<std::string, double> stop_seconds;  // by reason code
  std::optional<double> availability, performance, quality, oee, scrap_ratio;
  std::string error;  // why nothing could be measured ("" when measured)
};

struct ModelFacts {
  std::string label;  // name@version
  std::optional<double> recall, precision;
  std::string error;
};

struct DefectFacts {
  int64_t inspected = 0;
  int64_t failed = 0;  // with one of the codes asked for (any code when none)
  std::string error;
};

struct SourceFacts {
  std::optional<double> completeness;  // of its current batches
  int64_t records = 0;
  std::string error;
};

struct QualificationFacts {
  int holders = 0;    // people holding it now
  int shortfall = 0;  // people missing per the skill gaps' minimum per shift
  int expiring = 0;
};

struct PlantFacts {
  int64_t from = 0, to = 0;                  // the baseline window, ns
  std::string window;                        // as written ("30d")
  AssetFacts plant;                          // every asset together: the baselines
  std::map<std::string, AssetFacts> assets;  // by path, as the catalogue names them
  std::map<std::string, ModelFacts> models;
  std::map<std::string, SourceFacts> sources;  // by mapping name
  std::map<std::string, DefectFacts> defects;  // by characteristic and codes (DefectKey)
  bool people_measured = false;
  std::string people_error;
  std::map<std::string, QualificationFacts> qualifications;  // by code
};

// The key of `defects` for an effect: its characteristic and codes.
std::string DefectKey(const EffectSpec& e);

// Measures what `catalogue` refers to, at `now` (ns). What cannot be measured is recorded
// with its reason (the plan shows it and treats the effect as unknown), never guessed.
Result<PlantFacts> MeasurePlant(Hub& hub, const Catalogue& catalogue, int64_t now);

}  // namespace fh::optimize
