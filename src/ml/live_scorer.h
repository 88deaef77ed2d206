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

class LiveScorer : public LiveModel {
 public:
  // Loads the model (NAME or NAME@VERSION; the newest version without one) and its spec:
  // an unknown model is an error before anything starts.
  static Result<std::unique_ptr<LiveScorer>> Make(Hub& hub, const std::string& model_ref,
                                                  int64_t every_ns, int64_t lookback_ns);
  ~LiveScorer() override;  // Stop()s
  LiveScorer(const LiveScorer&) = delete;
  LiveScorer& operator=(const LiveScorer&) = delete;

  // Where each run's scores go, as one batch of the series ModelScoreTag(model, unit) names
  // (serve stores them, and its alarms see them: a `model` alarm). Before Start().
  void PublishScores(std::function<Status(const SampleBatch&)> sink) override {
    publish_ = std::move(sink);
  }

  void Start() override;
  void Stop() override;  // idempotent
  // Scores the rows after the last scored one up to one interval before `now`; what the
  // thread runs.
  Status RunOnce(TimestampNs now) override;

  ConnectorStatus status() const override;

 private:
  LiveScorer(Hub& hub, ml::RegisteredModel model, ml::TrainingSpec spec, int64_t every_ns,
             int64_t lookback_ns);

  Hub& hub_;
  const ml::RegisteredModel model_;
  const ml::TrainingSpec spec_;
  const int64_t every_ns_;
  const int64_t lookback_ns_;
  std::function<Status(const SampleBatch&)> publish_;
  TimestampNs scored_until_ = 0;  // the newest row scored; only the scoring thread
  mutable std::mutex mu_;
  ConnectorStatus status_;  // guarded by mu_
  PeriodicThread thread_;
};

}  // namespace fh::ml
