// The demo's supervised model (docs/ml.md): the AI4I 2020 milling machine's 10,000 process
// records (data/datasets/ai4i2020, a real public data set) imported as the history of line 2's
// mill-01 over the week before the demo started, a machine-failure model trained on them (XGBoost,
// cross-validated, with its ROC and PR curves), made the production version, and its
// predictions over the last day raised as alarms with the reasons of each — what the
// dashboard's models page shows.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoFailureModel = "ai4i-machine-failure";
inline constexpr const char* kDemoFailureSpec = "ai4i-failure.yaml";
// Where the AI4I machine stands in the demo plant's tree.
inline constexpr const char* kDemoMillPath = "acme/shanghai/machining/line-2/mill-01";

struct DemoModel {
  bool trained = false;  // false: kept from an earlier run
  std::string label;     // name@version
  double roc_auc = 0;    // cross-validated
  int64_t alarms = 0;    // raised over the last day (this run)
};

// Imports `data` (the AI4I CSV) so that its last record is just before `end`, trains and
// promotes the model and raises its alarms, unless the registry has the model already.
Result<DemoModel> TrainDemoFailureModel(Hub& hub, const std::filesystem::path& dir,
                                        const std::filesystem::path& data, int64_t end);

}  // namespace fh::cli
