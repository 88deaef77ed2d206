// A detector spec (YAML, docs/anomaly.md): which signals of the hub, the window the user
// names as normal operation, how signals sampled apart are aligned, and the PCA's options.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "ml/pca/pca_detector.h"
#include "model/sample.h"

namespace fh::ml {

struct DetectorSpec {
  std::string name;
  std::string signals;               // a tag pattern with {column} (and {unit} to pool equipment)
  std::vector<std::string> columns;  // the {column} values to use, in order; empty: all
  std::string equipment;             // its ISA-95 path, for alarms
  TimeRange normal;                  // the window of normal operation it is trained on
  // A signal's last value stands for this long after it (aligns signals sampled at other
  // moments); 0: only values at the very same time make a row.
  int64_t hold_ns = 0;
  double holdout = 0.2;  // the end of the normal window kept out, to check the false alarms
  // When the equipment runs: rows where `running_signal` is at most `running_above` (a
  // machine stopped) are neither trained on nor judged. Empty: every row.
  std::string running_signal;
  double running_above = 0;
  PcaOptions pca;
  std::string text;  // as written

  // Errors name the file, line and key.
  static Result<DetectorSpec> Parse(const std::string& yaml, const std::string& file);
  static Result<DetectorSpec> Load(const std::string& path);
};

}  // namespace fh::ml
