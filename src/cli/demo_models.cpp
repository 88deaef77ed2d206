#include "cli/demo_models.h"

#include "cli/demo_erp.h"

#include <fmt/format.h>

#include "common/time.h"
#include "govern/mapping.h"
#include "ml/alarms.h"
#include "ml/column_data.h"
#include "ml/dataset_builder.h"
#include "ml/label_permutation_check.h"
#include "ml/model_registry.h"
#include "ml/scoring.h"
#include "ml/train_report_json.h"
#include "ml/trained_model.h"
#include "ml/trainer.h"
#include "ml/training_spec.h"
#include "pipeline/import_job.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/unit_of_work.h"

namespace fh::cli {
namespace {

constexpr int64_t kRecords = 10000;  // AI4I 2020's, one a minute

// examples/ai4i2020/process.yaml, its records placed in the week before the demo started.
std::string MappingText(int64_t first_s) {
  return fmt::format(
      R"(# AI4I 2020 (data/datasets/ai4i2020/SOURCE.md): one milling machine's process records,
# taken as one a minute up to the demo's start. Temperatures from K to °C; the failure flags
# are labels under ai4i/mill-01/label/, what the model learns to predict, never its inputs.
mapping: ai4i-process
source:
  system: ai4i2020
  object: ai4i2020.csv
  encoding: utf-8
entity: samples
samples:
  timestamp: {{ expr: "{} + UDI * 60" }}
  signals:
    - tag: ai4i/mill-01/air_temperature_C
      value: {{ from: "Air temperature [K]", unit: K, to: °C, round: 2 }}
    - tag: ai4i/mill-01/process_temperature_C
      value: {{ from: "Process temperature [K]", unit: K, to: °C, round: 2 }}
    - tag: ai4i/mill-01/rotational_speed_rpm
      value: "Rotational speed [rpm]"
    - tag: ai4i/mill-01/torque_Nm
      value: "Torque [Nm]"
    - tag: ai4i/mill-01/tool_wear_min
      value: "Tool wear [min]"
    - tag: ai4i/mill-01/product_variant
      value: {{ from: Type, map: {{ L: "0", M: "1", H: "2" }} }}
    - tag: ai4i/mill-01/label/machine_failure
      value: Machine failure
rules:
  - {{ rule: monotonic, field: timestamp }}
  - {{ rule: range, field: value, min: -50, max: 5000 }}
)",
      first_s);
}

// examples/ai4i2020/spec.yaml.
constexpr const char* kSpec =
    R"(# Machine failure of the AI4I 2020 milling machine from what its controller measures
# (docs/ml.md). factoryhub train --hub DEMO --spec ai4i-failure.yaml trains it again.
name: ai4i-machine-failure
task: binary
data:
  tags: "ai4i/mill-01/{column}"
  exclude: ["label/*"]
  equipment: acme/shanghai/machining/line-2/mill-01
features:
  - air_temperature_C
  - process_temperature_C
  - rotational_speed_rpm
  - torque_Nm
  - tool_wear_min
  - product_variant
  - { name: temperature_difference_K, expr: "process_temperature_C - air_temperature_C" }
  - { name: power_W, expr: "torque_Nm * rotational_speed_rpm * 2 * pi / 60" }
  - { name: strain_minNm, expr: "tool_wear_min * torque_Nm" }
label: label/machine_failure
split: { kind: stratified_kfold, folds: 5, seed: 42 }
permutation: true   # also cross-validated on shuffled labels: must score at chance
threshold: { tune: f1, inner_folds: 3 }
model:
  kind: xgboost
  rounds: 100
  params: { max_depth: 6, eta: 0.05, subsample: 0.9, colsample_bytree: 0.9, min_child_weight: 1,
            tree_method: exact }
)";

// The mill in the plant's tree (line 2 of the machining area), its process values its tags,
// so that its page shows its signals and the model's predictions beside them.
Status RegisterMill(Hub& hub) {
  struct Signal {
    const char* column;
    const char* unit;
    const char* description;
  };
  static constexpr Signal kSignals[] = {
      {"air_temperature_C", "°C", "air temperature"},
      {"process_temperature_C", "°C", "process temperature"},
      {"rotational_speed_rpm", "rpm", "spindle speed"},
      {"torque_Nm", "N·m", "spindle torque"},
      {"tool_wear_min", "min", "tool wear (minutes in cut)"},
      {"product_variant", "", "product quality variant (0 L, 1 M, 2 H)"},
  };
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  Catalog& catalog = session.catalog();
  const Lineage lineage{.source_system = "ai4i2020", .source_object = "ai4i2020.csv"};
  FH_ASSIGN_OR_RETURN(const int64_t mill, catalog.CreateAssetPath(kDemoMillPath, lineage));
  for (const Signal& s : kSignals) {
    TagMeta tag;
    tag.name = fmt::format("ai4i/mill-01/{}", s.column);
    tag.equipment_id = mill;
    tag.unit = s.unit;
    tag.description = s.description;
    tag.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog.UpsertTag(tag).status());
  }
  return txn.Commit();
}

double CvRocAuc(const ml::RegisteredModel& m) {
  const nlohmann::json report = nlohmann::json::parse(m.report, nullptr, false);
  if (!report.is_object() || !report.contains("models") || report["models"].empty()) return 0;
  const nlohmann::json& cv = report["models"][0]["cv"];
  return cv.contains("roc_auc") && cv["roc_auc"].is_number() ? cv["roc_auc"].get<double>() : 0;
}

}  // namespace

Result<DemoModel> TrainDemoFailureModel(Hub& hub, const std::filesystem::path& dir,
                                        const std::filesystem::path& data, int64_t end) {
  DemoModel out;
  {
    CatalogSession session = hub.OpenCatalog();
    Result<ml::RegisteredModel> kept =
        ml::ModelRegistry(session.models()).Get(ml::ModelRef{kDemoFailureModel, std::nullopt});
    if (kept.ok()) {
      out.label = kept->label();
      out.roc_auc = CvRocAuc(*kept);
      return out;
    }
  }
  std::error_code ec;
  if (!std::filesystem::exists(data, ec)) {
    return NotFound("the AI4I 2020 data set is not at {}: give it with --ai4i FILE", data.string());
  }
  const int64_t end_s = end / kNanosPerSecond;
  const std::string mapping_text = MappingText(end_s - (kRecords + 1) * 60);
  const std::filesystem::path mapping_path = dir / "mappings" / "ai4i-process.yaml";
  FH_RETURN_IF_ERROR(WriteDemoFile(mapping_path, mapping_text));
  FH_RETURN_IF_ERROR(WriteDemoFile(dir / kDemoFailureSpec, kSpec));
  FH_ASSIGN_OR_RETURN(const govern::Mapping mapping,
                      govern::ParseMapping(mapping_text, mapping_path.string()));
  FH_RETURN_IF_ERROR(pipeline::ImportFile(hub, mapping, data.string(), {}).status());
  FH_RETURN_IF_ERROR(RegisterMill(hub));

  FH_ASSIGN_OR_RETURN(const ml::TrainingSpec spec,
                      ml::ParseTrainingSpec(kSpec, (dir / kDemoFailureSpec).string()));
  FH_ASSIGN_OR_RETURN(ml::BuiltDataset built, ml::BuildDataset(hub.storage(), spec));
  FH_ASSIGN_OR_RETURN(ml::TrainReport report, ml::CrossValidate(built.data, spec, nullptr, {},
                                                                ml::FoldPreparation(spec, built)));
  if (spec.permutation_seed) {
    FH_ASSIGN_OR_RETURN(
        report.permutation,
        ml::RunPermutationCheck(spec, built, report.models.front(), *spec.permutation_seed));
    if (!report.permutation->at_chance()) {
      return Internal("the demo's failure model failed the label-permutation check: {}",
                      ml::DescribePermutation(*report.permutation, spec.model.kind));
    }
  }
  FH_ASSIGN_OR_RETURN(ml::RegisteredModel m,
                      ml::ModelToRegister(spec, built, report, ml::TrainReportJson(report)));
  ml::RegisteredModel stored;
  {
    CatalogSession session = hub.OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_ASSIGN_OR_RETURN(stored, registry.RegisterTrainedOn(std::move(m), built.tags));
    FH_RETURN_IF_ERROR(registry.Promote(ml::ModelRef{stored.name, stored.version}));
  }
  FH_RETURN_IF_ERROR(RecordAudit(
      hub, {"demo",
            "model.train",
            stored.label(),
            {{"kind", stored.kind}, {"rows", stored.training_rows}, {"trained_on", "AI4I 2020"}}}));
  FH_RETURN_IF_ERROR(RecordAudit(hub, {"demo", "model.promote", stored.label()}));

  // The last day scored as `predict --from-store --alarms` does: each predicted failure an
  // alarm with the features that pushed it most.
  FH_ASSIGN_OR_RETURN(
      ml::ColumnData rows,
      ml::ReadColumns(hub.storage(), spec.tags, TimeRange{end - 24 * kNanosPerHour, end}));
  FH_ASSIGN_OR_RETURN(std::vector<ml::Prediction> predictions,
                      ml::Score(stored, rows, 3, ml::Explain::kPositive));
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(out.alarms,
                        ml::RaiseAlarms(session.alarms(), stored, predictions, spec.equipment));
  }
  out.trained = true;
  out.label = stored.label();
  out.roc_auc = CvRocAuc(stored);
  return out;
}

}  // namespace fh::cli
