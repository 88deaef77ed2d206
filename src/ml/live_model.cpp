#include "ml/live_model.h"

#include "ml/live_scorer.h"
#include "ml/model_registry.h"
#include "ml/pca/live_detector.h"

namespace fh::ml {

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
