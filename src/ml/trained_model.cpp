#include "ml/trained_model.h"

#include "common/json_text.h"
#include "ml/training_envelope.h"

namespace fh::ml {

Result<RegisteredModel> ModelToRegister(const TrainingSpec& spec, const BuiltDataset& built,
                                        const TrainReport& report,
                                        const nlohmann::ordered_json& report_json) {
  if (report.models.empty()) return FailedPrecondition("{}: no model was trained", spec.name);
  const ModelEvaluation& best = report.models.front();
  if (!best.fitted) return FailedPrecondition("{}: no model was fitted on all rows", spec.name);
  RegisteredModel m;
  m.name = spec.name;
  m.kind = best.kind;
  m.task = spec.task;
  m.spec = spec.text;
  m.features = built.features;
  m.classes = built.data.classes;
  if (spec.task == Task::kMulticlass) {
    m.normal_class = spec.label.normal.empty() ? m.classes.front() : spec.label.normal;
  }
  m.threshold = best.threshold;
  // What the training data covered goes with the report, for set-point searches to know
  // where the model has seen data (src/optimize/setpoint); older models simply lack it.
  nlohmann::ordered_json stored = report_json;
  stored["training_data"] = EnvelopeJson(ComputeEnvelope(built.data));
  m.report = JsonText(stored);
  m.training_rows = static_cast<int64_t>(built.data.rows());
  if (!built.preprocessing.empty()) m.preprocessing = JsonText(built.preprocessing.ToJson());
  FH_ASSIGN_OR_RETURN(m.data, best.fitted->Save());
  return m;
}

}  // namespace fh::ml
