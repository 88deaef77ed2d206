#include "ml/registered_model_json.h"

#include "common/time.h"

namespace fh::ml {

nlohmann::ordered_json ModelSummaryJson(const RegisteredModel& m) {
  nlohmann::ordered_json j = {{"model", m.label()},
                              {"name", m.name},
                              {"version", m.version},
                              {"kind", m.kind},
                              {"task", std::string(ToString(m.task))},
                              {"stage", m.stage},
                              {"created_at", FormatRfc3339(m.created_at)},
                              {"training_rows", m.training_rows},
                              {"training_batches", m.training_batches}};
  j["threshold"] = m.threshold ? nlohmann::ordered_json(*m.threshold) : nullptr;
  if (!m.classes.empty()) {
    j["classes"] = m.classes;
    j["normal"] = m.normal_class;
  }
  // The headline metrics of the model's own kind, from its cross-validation report.
  const nlohmann::json report = nlohmann::json::parse(m.report, nullptr, false);
  if (report.is_object() && report.contains("models") && !report["models"].empty()) {
    j["cv"] = report["models"][0]["cv"];
  }
  return j;
}

nlohmann::ordered_json ModelDetailJson(const RegisteredModel& m) {
  nlohmann::ordered_json j = ModelSummaryJson(m);
  j["features"] = nlohmann::json::parse(FeaturesJson(m.features), nullptr, false);
  nlohmann::ordered_json report = nlohmann::ordered_json::parse(m.report, nullptr, false);
  // The training data's envelope without its sample rows (only set-point searches read them):
  // how many there are.
  if (report.is_object() && report.contains("training_data") &&
      report["training_data"].is_object() && report["training_data"].contains("sample")) {
    nlohmann::ordered_json& envelope = report["training_data"];
    envelope["sample_rows"] = envelope["sample"].size();
    envelope.erase("sample");
  }
  j["report"] = std::move(report);
  // What training learnt before the model (docs/ml.md, Preprocessing); null without it.
  j["preprocessing"] = m.preprocessing.empty()
                           ? nlohmann::ordered_json(nullptr)
                           : nlohmann::ordered_json::parse(m.preprocessing, nullptr, false);
  j["spec"] = m.spec;
  return j;
}

}  // namespace fh::ml
