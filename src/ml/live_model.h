// What `serve --score MODEL` runs for each model: a registered model scoring what arrives
// (LiveScorer: the supervised models, raising alarms) or an anomaly detector judging it
// (LiveDetector, ml/pca). Both keep their scores as series (model/NAME[/UNIT],
// model/score_tag.h) through the sink serve gives them, and report beside the connectors.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/periodic_thread.h"
#include "common/status.h"
#include "model/connector_status.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::ml {

class LiveModel {
 public:
  virtual ~LiveModel() = default;
  // Where each run's scores go, as one batch (serve stores them; its alarms see them).
  // Before Start().
  virtual void PublishScores(std::function<Status(const SampleBatch&)> sink) = 0;
  virtual void Start() = 0;
  virtual void Stop() = 0;  // idempotent
  // Scores what arrived up to one interval before `now`: what the thread runs.
  virtual Status RunOnce(TimestampNs now) = 0;
  virtual ConnectorStatus status() const = 0;
  // Why a score of `unit` ("": its only one) was high at `ts`, for the alarm it raised (an
  // anomaly detector: the signals that moved); "" when the model has nothing to say.
  // Thread-safe; never calls the sink.
  virtual std::string Explain(const std::string& unit, TimestampNs ts) const {
    (void)unit, (void)ts;
    return {};
  }
};

// What both kinds share: the thread that calls RunOnce every `every` (at once the first
// time), its failures counted in the status, and the sink. A subclass Stop()s in its own
// destructor: the thread calls its RunOnce.
class PeriodicLiveModel : public LiveModel {
 public:
  void PublishScores(std::function<Status(const SampleBatch&)> sink) override {
    publish_ = std::move(sink);
  }
  void Start() override;
  void Stop() override;
  ConnectorStatus status() const override;

 protected:
  // `initial`: its name, kind and endpoint.
  PeriodicLiveModel(ConnectorStatus initial, int64_t every_ns);

  const int64_t every_ns_;
  std::function<Status(const SampleBatch&)> publish_;
  mutable std::mutex mu_;
  ConnectorStatus status_;  // guarded by mu_

 private:
  PeriodicThread thread_;
};

// The model NAME or NAME@VERSION (its production version, else its newest) as a live model of
// its kind: an unknown one is an error naming `--score REF` before anything starts.
Result<std::unique_ptr<LiveModel>> MakeLiveModel(Hub& hub, const std::string& model_ref,
                                                 int64_t every_ns, int64_t lookback_ns);

}  // namespace fh::ml
