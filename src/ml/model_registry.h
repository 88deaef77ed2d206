// The model registry: models stored in the hub, versioned per name (1, 2, ...), each with
// its training spec, the resolved features, the decision threshold (binary) or the classes
// (multi-class), the cross-validation
// report and the ingest batches its data came from. One version per name may be in
// production; `predict` uses it unless a version is named.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model.h"
#include "ml/training_spec.h"
#include "store/models/model_store.h"

namespace fh::ml {

struct RegisteredModel {
  int64_t id = 0;
  std::string name;
  int64_t version = 0;
  std::string kind;  // xgboost, logistic, linear, mlp, cnn, lstm
  Task task = Task::kBinary;
  std::string stage = "candidate";  // candidate, production, archived
  std::string spec;                 // the training spec's text
  std::vector<FeatureSpec> features;
  std::optional<double> threshold;
  std::vector<std::string> classes;  // multi-class: the class names, by index
  std::string normal_class;          // multi-class: the class that raises no alarm
  std::string report;                // JSON
  // What the training learnt before the model (preprocess/preprocessing.h), as JSON; empty
  // when the spec has no preprocessing.
  std::string preprocessing;
  int64_t training_rows = 0;
  std::vector<int64_t> training_batches;
  std::string data;  // Model::Save(); empty in listings
  int64_t created_at = 0;
  std::string label() const { return name + "@" + std::to_string(version); }
};

// "name" or "name@3".
struct ModelRef {
  std::string name;
  std::optional<int64_t> version;
};
Result<ModelRef> ParseModelRef(std::string_view text);

class ModelRegistry {
 public:
  explicit ModelRegistry(ModelStore& store) : store_(store) {}

  // Stores `m` as the name's next version (its id, version and created_at are set).
  Result<RegisteredModel> Register(RegisteredModel m);
  // Register(), with the ingest batches that stored the `tags` it was trained on.
  Result<RegisteredModel> RegisterTrainedOn(RegisteredModel m,
                                            const std::vector<std::string>& tags);
  // Every version of every model (or of `name`), without their data; newest first.
  Result<std::vector<RegisteredModel>> List(const std::string& name = "");
  // A version; without one, the production version, else the newest. NotFound naming it.
  Result<RegisteredModel> Get(const ModelRef& ref);
  // Makes the version the name's production one; the previous one is archived.
  Status Promote(const ModelRef& ref);
  // The ingest batches that stored points of these tags (series lineage).
  Result<std::vector<int64_t>> BatchesOfTags(const std::vector<std::string>& tags);

 private:
  ModelStore& store_;
};

// A model as one JSON document (metadata and the model's bytes in base64), for
// `model export` and `model import`.
std::string ExportModel(const RegisteredModel& m);
Result<RegisteredModel> ImportModel(std::string_view json, std::string_view display_name);

// Feature specs to JSON and back (stored with a model).
std::string FeaturesJson(const std::vector<FeatureSpec>& features);
Result<std::vector<FeatureSpec>> FeaturesFromJson(std::string_view json);

}  // namespace fh::ml
