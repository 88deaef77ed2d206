// factoryhub predict --hub DIR --model NAME[@VERSION] (FILE | --from-store [--from T]
// [--to T]) [--explain N] [--json]: scores rows with a registered model.
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "ml/alarms.h"
#include "ml/column_data.h"
#include "ml/scoring.h"
#include "ml/training_spec.h"

namespace fh::cli {
namespace {

struct PredictCli {
  std::string hub;
  std::string model;
  std::string file;
  bool from_store = false;
  std::string from, to;
  size_t explain = 3;
  bool only_positive = false;
  bool alarms = false;
  bool json = false;
};

Status RunPredict(const PredictCli& o) {
  if (o.from_store == !o.file.empty()) {
    return InvalidArgument("predict: give a FILE or --from-store, not both or neither");
  }
  if (!o.from_store && (!o.from.empty() || !o.to.empty())) {
    return InvalidArgument("predict: --from and --to go with --from-store");
  }
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(o.model));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<ml::RegisteredModel> model = [&] {
    CatalogSession session = hub->OpenCatalog();
    return ml::ModelRegistry(session.models()).Get(ref);
  }();
  if (!model.ok()) return model.status();
  if (model->kind == "pca") {
    return InvalidArgument(
        "{} is an anomaly detector: score it with factoryhub anomaly score {} --from T --to T",
        model->label(), model->label());
  }
  ml::ColumnData data;
  if (o.from_store) {
    FH_ASSIGN_OR_RETURN(ml::TrainingSpec spec, ml::ParseTrainingSpec(model->spec, model->label()));
    FH_ASSIGN_OR_RETURN(const TimeRange range, ParseTimeRange(o.from, o.to));
    FH_ASSIGN_OR_RETURN(data, ml::ReadColumns(hub->storage(), spec.tags, range));
  } else {
    FH_ASSIGN_OR_RETURN(data, ml::ReadColumnsFromFile(o.file));
  }
  FH_ASSIGN_OR_RETURN(std::vector<ml::Prediction> predictions,
                      ml::Score(*model, data, o.explain,
                                o.only_positive ? ml::Explain::kPositive : ml::Explain::kAll));
  const bool binary = model->task == ml::Task::kBinary;
  const bool multiclass = model->task == ml::Task::kMulticlass;
  std::optional<int64_t> raised;
  if (o.alarms) {
    FH_ASSIGN_OR_RETURN(ml::TrainingSpec spec, ml::ParseTrainingSpec(model->spec, model->label()));
    CatalogSession session = hub->OpenCatalog();
    FH_ASSIGN_OR_RETURN(raised,
                        ml::RaiseAlarms(session.alarms(), *model, predictions, spec.equipment));
  }
  size_t positives = 0;
  for (const ml::Prediction& p : predictions)
    positives += p.positive.value_or(false) ? 1 : 0;
  if (o.json) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const ml::Prediction& p : predictions) {
      if (o.only_positive && !p.positive.value_or(false)) continue;
      nlohmann::ordered_json row = {{"unit", p.unit}, {"time", FormatRfc3339(p.time)}};
      if (multiclass) row["class"] = p.predicted_class;
      row[binary || multiclass ? "probability" : "value"] = p.score;
      if (multiclass) {
        nlohmann::ordered_json each = nlohmann::ordered_json::object();
        for (size_t k = 0; k < p.probabilities.size(); ++k)
          each[model->classes[k]] = p.probabilities[k];
        row["probabilities"] = std::move(each);
      }
      if (p.positive) row[multiclass ? "abnormal" : "positive"] = *p.positive;
      row["reasons"] = ml::ReasonsJson(p.reasons);
      rows.push_back(std::move(row));
    }
    nlohmann::ordered_json doc = {{"model", model->label()}, {"rows", predictions.size()}};
    if (binary) {
      doc["threshold"] = model->threshold.value_or(0.5);
      doc["positives"] = positives;
    }
    if (multiclass) {
      doc["classes"] = model->classes;
      doc["normal"] = model->normal_class;
      doc["abnormal"] = positives;
    }
    if (raised) doc["alarms_raised"] = *raised;
    doc["predictions"] = std::move(rows);
    PrintJson(doc);
    return Status::Ok();
  }
  std::vector<Table::Column> cols;
  const bool units = !predictions.empty() && !predictions.front().unit.empty();
  if (units) cols.push_back({"unit"});
  cols.push_back({"time"});
  if (multiclass) cols.push_back({"class"});
  cols.push_back({binary || multiclass ? "probability" : "value", true});
  if (binary) cols.push_back({"predicted"});
  if (o.explain) cols.push_back({"top reasons (contribution)"});
  Table t(std::move(cols));
  for (const ml::Prediction& p : predictions) {
    if (o.only_positive && !p.positive.value_or(false)) continue;
    std::vector<std::string> row;
    if (units) row.push_back(p.unit);
    row.push_back(FormatRfc3339(p.time));
    if (multiclass) row.push_back(p.predicted_class);
    row.push_back(fmt::format("{:.4f}", p.score));
    if (binary) row.push_back(*p.positive ? "positive" : "");
    if (o.explain) row.push_back(ml::ReasonsText(p.reasons));
    t.AddRow(std::move(row));
  }
  t.Print();
  if (binary) {
    fmt::print("{} of {} rows at or above {}'s threshold {:.3f}.\n", positives, predictions.size(),
               model->label(), model->threshold.value_or(0.5));
  }
  if (multiclass) {
    fmt::print("{} of {} rows predicted a class other than '{}'.\n", positives, predictions.size(),
               model->normal_class);
  }
  return Status::Ok();
}

}  // namespace

Command RegisterPredict(CLI::App& parent) {
  CLI::App* sub =
      parent.add_subcommand("predict", "Score rows (a file, or the hub's data) with a model");
  auto o = std::make_shared<PredictCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("--model", o->model, "NAME (production, else newest) or NAME@VERSION")
      ->required();
  sub->add_option("FILE", o->file,
                  "Rows to score (CSV, JSON, xlsx): a column per input, optional unit and time")
      ->check(CLI::ExistingFile);
  sub->add_flag("--from-store", o->from_store, "Score the hub's data (the model's tags)");
  sub->add_option("--from", o->from, "With --from-store: from this time");
  sub->add_option("--to", o->to, "With --from-store: up to this time");
  sub->add_option("--explain", o->explain, "Top reasons per row (default 3; 0: none)");
  sub->add_flag("--positive", o->only_positive,
                "Print only rows at or above the threshold (multi-class: of a class other than "
                "the normal one)");
  sub->add_flag("--alarms", o->alarms, "Raise an alarm per such row (once per equipment and time)");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub predict --hub plant --model ai4i-machine-failure new-rows.csv\n"
      "  factoryhub predict --hub plant --model ai4i-machine-failure@2 --from-store "
      "--from now-1h --positive");
  return {sub, [o] { return RunPredict(*o); }};
}

}  // namespace fh::cli
