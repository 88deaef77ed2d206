// A detector's data: the signals of a spec's pattern, per unit, on one time axis — a row at
// every time any signal has a value, each signal's last value standing for `hold` after it
// (signals sampled at other moments make rows together), a missing one NaN.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/pca/detector_spec.h"
#include "ml/pca/pca_detector.h"
#include "store/storage.h"

namespace fh::ml {

struct AlignedSignals {
  struct Unit {
    std::string unit;  // "" when the pattern has no {unit}
    std::vector<int64_t> time;
    std::vector<std::vector<double>> columns;  // one per signal, in `signals`' order
  };
  std::vector<std::string> signals;
  std::vector<Unit> units;
  std::vector<std::string> tags;  // the tags read
  size_t rows() const;
};

// The signals of `pattern` in `range`. With `expected` (a trained detector's signals), those,
// in that order: a missing one is NotFound naming it.
Result<AlignedSignals> ReadAligned(Storage& storage, const std::string& pattern, TimeRange range,
                                   int64_t hold_ns,
                                   const std::vector<std::string>* expected = nullptr);

// Drops the rows where `signal` is at most `above` (the equipment stopped): a detector of
// running equipment neither learns nor judges its stops. Each stop leaves one row of missing
// values behind, which no lagged window spans. Returns how many rows were dropped;
// InvalidArgument when `signal` is not one of data's signals.
Result<size_t> KeepRunningRows(AlignedSignals& data, const std::string& signal, double above);

// A spec's rows in `range`: ReadAligned, then KeepRunningRows when the spec says when the
// equipment runs. `newest` is the newest row read, kept or not (where a live detector has
// looked up to).
struct DetectorRows {
  AlignedSignals data;
  size_t stopped = 0;  // rows dropped: the equipment was not running
  int64_t newest = std::numeric_limits<int64_t>::min();
};
Result<DetectorRows> ReadDetectorRows(Storage& storage, const DetectorSpec& spec, TimeRange range,
                                      const std::vector<std::string>* expected = nullptr);

// What a detector says of each row of `data`, per unit (in order), and, for the rows beyond
// a limit, the signals that moved most (their share of the statistic that is furthest beyond
// its limit, largest first, at most `top`).
struct ScoredRow {
  size_t unit = 0;  // index into data.units
  int64_t time = 0;
  double t2 = 0, spe = 0;
  bool beyond_t2 = false, beyond_spe = false;
  std::vector<std::pair<std::string, double>> moved;
};
std::vector<ScoredRow> ScoreAligned(const PcaDetector& d, const AlignedSignals& data,
                                    size_t top = 3);

}  // namespace fh::ml
