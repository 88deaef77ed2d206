// LiveDetector: an anomaly detector (pca_detector.h) judging what `serve --score` sees
// arrive. Every interval it scores the rows its signals gained since the last run (read
// `lookback` earlier too, for the signals' held values and the lags), and keeps per unit
// three series: model/NAME[/UNIT] the detector's index — the larger of T² and SPE, each
// divided by its limit, so that above 1 is beyond a limit, what a `type: model` alarm with
// limit 1 watches — and .t2 and .spe beside it. Reported beside the connectors (kind
// "detector": runs, rows scored, rows beyond a limit as `alarms`). The newest rows beyond a
// limit are remembered per unit with the signals that moved, so that the alarm they raise
// can say so (Explain).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "ml/live_model.h"
#include "ml/model_registry.h"
#include "ml/pca/detector_spec.h"
#include "ml/pca/pca_detector.h"

namespace fh::ml {

class LiveDetector : public PeriodicLiveModel {
 public:
  static Result<std::unique_ptr<LiveDetector>> Make(Hub& hub, RegisteredModel model,
                                                    int64_t every_ns, int64_t lookback_ns);
  ~LiveDetector() override;  // Stop()s

  Status RunOnce(TimestampNs now) override;
  // "SPE 3.2× its limit; moved: load 71 %, current 20 %": the newest row of `unit` beyond a
  // limit at or before `ts`.
  std::string Explain(const std::string& unit, TimestampNs ts) const override;

 private:
  LiveDetector(Hub& hub, RegisteredModel model, DetectorSpec spec, PcaDetector detector,
               int64_t every_ns, int64_t lookback_ns);

  Hub& hub_;
  const RegisteredModel model_;
  const DetectorSpec spec_;
  const PcaDetector detector_;
  const int64_t lookback_ns_;
  TimestampNs scored_until_ = 0;  // only the scoring thread
  // Per unit, the newest rows beyond a limit (at most kExcursionsKept), oldest first: what
  // Explain says. Guarded by mu_.
  struct Excursion {
    TimestampNs time;
    std::string text;
  };
  static constexpr size_t kExcursionsKept = 256;
  std::map<std::string, std::deque<Excursion>, std::less<>> excursions_;
};

}  // namespace fh::ml
