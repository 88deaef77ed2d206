#include "ml/live_model.h"

#include <chrono>

#include "common/time.h"
#include "ml/live_scorer.h"
#include "ml/model_registry.h"
#include "ml/pca/live_detector.h"

namespace fh::ml {

PeriodicLiveModel::PeriodicLiveModel(ConnectorStatus initial, int64_t every_ns)
    : every_ns_(every_ns), status_(std::move(initial)) {
  status_.state = "stopped";
}

void PeriodicLiveModel::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.state = "scoring";
    status_.connected_since = NowNs();
  }
  thread_.Start(
      std::chrono::nanoseconds(every_ns_),
      [this] {
        const Status s = RunOnce(NowNs());
        if (s.ok()) return;
        std::lock_guard<std::mutex> lock(mu_);
        ++status_.errors;
        status_.last_error = s.message();
      },
      /*first_now=*/true);
}

void PeriodicLiveModel::Stop() {
  thread_.Stop();
  std::lock_guard<std::mutex> lock(mu_);
  status_.state = "stopped";
  status_.connected_since = 0;
}

ConnectorStatus PeriodicLiveModel::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

Result<std::unique_ptr<LiveModel>> MakeLiveModel(Hub& hub, const std::string& model_ref,
                                                 int64_t every_ns, int64_t lookback_ns) {
  FH_ASSIGN_OR_RETURN(ModelRef ref, ParseModelRef(model_ref));
  Result<RegisteredModel> model = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ModelRegistry(session.models()).Get(ref);
  }();
  if (!model.ok()) return model.status().WithContext("--score " + model_ref);
  if (model->kind == "pca") {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<LiveDetector> d,
                        LiveDetector::Make(hub, std::move(*model), every_ns, lookback_ns));
    return std::unique_ptr<LiveModel>(std::move(d));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<LiveScorer> s,
                      LiveScorer::Make(hub, model_ref, every_ns, lookback_ns));
  return std::unique_ptr<LiveModel>(std::move(s));
}

}  // namespace fh::ml
