// How well a detector finds known faults (`factoryhub anomaly evaluate`, docs/anomaly.md):
// for each fault, whether a row beyond a limit came while it lasted and how long after it
// began (the detection delay); over the rows outside every fault, the share beyond a limit
// (the false-alarm rate), against the rate the limits were set for. A detector is judged on
// missed detections at a stated false-alarm rate, and on delay.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ml/pca/detector_data.h"

namespace fh::ml {

struct FaultWindow {
  std::string name, kind;
  std::string machine;  // matched to the detector's unit, or to its tags when it has none
  int64_t start = 0, end = 0;
};

struct FaultDetection {
  FaultWindow fault;
  size_t rows = 0, beyond = 0;      // the detector's rows while it lasted, and those beyond
  std::optional<int64_t> detected;  // the first row beyond a limit
  std::vector<std::pair<std::string, double>> moved;  // at that row
  bool judged() const { return rows > 0; }
};

struct DetectionReport {
  std::vector<FaultDetection> faults;
  size_t normal_rows = 0, normal_beyond = 0;  // outside every fault (and its settling time)
  double false_alarm_rate() const;
  size_t missed() const;  // faults with rows and no detection
};

// `settle_ns` after a fault's end its rows are neither normal nor the fault's.
DetectionReport EvaluateDetection(const std::vector<ScoredRow>& scored, const AlignedSignals& data,
                                  const std::vector<FaultWindow>& faults, int64_t settle_ns);

}  // namespace fh::ml
