// The feature steps of a training spec's preprocessing (`preprocess: drop`, `impute`,
// `scale`): fitted on a fold's training rows of the computed features, applied to any rows,
// in that order. Dropping comes first so that a constant or duplicate feature costs nothing
// downstream; imputation fills what is missing from the training rows' statistics; scaling
// puts every feature on the training rows' scale (the linear models and the networks also
// standardise inside, so for them this changes what the report shows, not the fit).
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"
#include "ml/training_spec.h"

namespace fh::ml {

class FeatureStage {
 public:
  static FeatureStage Fit(const PreprocessSpec& spec, const Dataset& data,
                          std::span<const size_t> rows);
  // Keeps the features not dropped, fills and scales them, in place. InvalidArgument when
  // the data's features are not the ones fitted on.
  Status Apply(Dataset& data) const;

  nlohmann::ordered_json ToJson() const;
  static Result<FeatureStage> FromJson(const nlohmann::json& json);

 private:
  struct Dropped {
    std::string feature;
    std::string why;  // "constant", "correlated with X (r = 0.998)"
  };
  std::vector<std::string> inputs_;
  std::vector<size_t> kept_;  // indexes into inputs_
  std::vector<Dropped> dropped_;
  std::string impute_;
  std::vector<double> fill_;  // per kept feature
  std::string scale_;
  std::vector<double> offset_, factor_;  // per kept feature: (v - offset) / factor
};

}  // namespace fh::ml
