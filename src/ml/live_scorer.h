// Live scoring for `serve --score MODEL`: every few seconds, a registered model scores the
// rows its tags gained since the last run (ml::Score), and its positive predictions become
// alarms (ml::RaiseAlarms) — the predict command's `--from-store --alarms`, run on a
// stream. Reported beside the connectors at GET /api/v1/connectors (kind "model").
//
// Each run reads `lookback` before the last scored row too, so that rolling-window and lag
// features see the rows they need; only the rows after it are scored. Alarms are raised
// once per (model, equipment, time), so a restart that scores a window again raises nothing
// twice. A row is scored once it is one interval old (its tags may arrive in separate
// writes); a point that arrives with a time at or before the last scored row is not scored.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/periodic_thread.h"
#include "common/status.h"
#include "ml/live_model.h"
#include "ml/model_registry.h"
#include "ml/training_spec.h"
#include "model/connector_status.h"
#include "store/hub.h"

namespace fh::ml {

class LiveScorer : public PeriodicLiveModel {
 public:
  // Loads the model (NAME or NAME@VERSION; the newest version without one) and its spec:
  // an unknown model is an error before anything starts.
  static Result<std::unique_ptr<LiveScorer>> Make(Hub& hub, const std::string& model_ref,
                                                  int64_t every_ns, int64_t lookback_ns);
  ~LiveScorer() override;  // Stop()s
  LiveScorer(const LiveScorer&) = delete;
  LiveScorer& operator=(const LiveScorer&) = delete;

  // Scores the rows after the last scored one up to one interval before `now`, publishing
  // them as the series ModelScoreTag(model, unit) names; what the thread runs.
  Status RunOnce(TimestampNs now) override;

 private:
  LiveScorer(Hub& hub, ml::RegisteredModel model, ml::TrainingSpec spec, int64_t every_ns,
             int64_t lookback_ns);

  Hub& hub_;
  const ml::RegisteredModel model_;
  const ml::TrainingSpec spec_;
  const int64_t lookback_ns_;
  TimestampNs scored_until_ = 0;  // the newest row scored; only the scoring thread
};

}  // namespace fh::ml
