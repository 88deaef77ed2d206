// Training a detector on the window named normal: the end of each unit's rows is held out
// (`holdout`), the PCA fitted on the rest, and the held-out rows — normal operation the
// model has not seen — say how often its limits are exceeded when nothing is wrong: the
// false-alarm rate to expect, beside the one stated (alpha).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include "common/status.h"

#include "ml/model_registry.h"
#include "ml/pca/detector_data.h"
#include "ml/pca/detector_spec.h"
#include "ml/pca/pca_detector.h"
#include "store/hub.h"

namespace fh::ml {

struct TrainedDetector {
  PcaDetector detector;
  size_t held_out = 0;       // rows scored after training
  double beyond_t2 = 0;      // their share beyond the T² limit
  double beyond_spe = 0;     // beyond the SPE limit
  double beyond_either = 0;  // beyond one or both: the false-alarm rate of the detector
};

Result<TrainedDetector> TrainDetector(const DetectorSpec& spec, const AlignedSignals& normal);

// {signals, lags, components, explained, rows, alpha, t2_limit, spe_limit, held_out,
//  false_alarms: {t2, spe, either}}
nlohmann::ordered_json DetectorReportJson(const TrainedDetector& t);

// `factoryhub anomaly train`: the spec's normal window read from the hub, the detector
// trained, its report (DetectorReportJson with stopped_rows, normal and, once stored,
// stored_as) and, with `store`, the detector kept in the model registry as the next
// version of its name.
struct DetectorTraining {
  TrainedDetector trained;
  nlohmann::ordered_json report;
  std::optional<RegisteredModel> stored;
};
Result<DetectorTraining> TrainDetectorOnHub(Hub& hub, const DetectorSpec& spec, bool store);

}  // namespace fh::ml
