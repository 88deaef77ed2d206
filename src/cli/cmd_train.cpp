// factoryhub train --hub DIR --spec SPEC.yaml [--json]: builds the spec's data set from the
// hub, cross-validates its model and the linear baseline (each fold's progress on a terminal),
// and prints their metrics.
#include <fmt/ranges.h>

#include <fstream>

#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "common/json_text.h"
#include "ml/dataset_builder.h"
#include "ml/label_permutation_check.h"
#include "ml/model_registry.h"
#include "ml/multiclass_metrics.h"
#include "ml/test_predictions_csv.h"
#include "ml/train_report_html.h"
#include "ml/train_report_json.h"
#include "ml/trained_model.h"
#include "ml/trainer.h"
#include "ml/training_spec.h"

namespace fh::cli {
namespace {

struct TrainCli {
  std::string hub;
  std::string spec;
  bool no_save = false;
  std::string html;         // write the HTML report here
  std::string predictions;  // write the test set's predictions here (CSV)
  bool json = false;
  bool permutation = false;  // run the label-permutation check whatever the spec says
};

std::string Metric(double v, int digits = 4) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("n/a");
}

// "95 % interval 10.2–14.1": a test score's bootstrap interval, as the report's sentences
// quote it.
std::string IntervalText(const ml::ModelEvaluation& e, std::string_view score) {
  for (const auto& [name, i] : e.test_interval) {
    if (name == score) return fmt::format("interval {}–{}", Metric(i.low, 3), Metric(i.high, 3));
  }
  return "no interval";
}

// The models' macro averages, then the chosen model's matrix and per-class scores, pooled
// over the folds.
void PrintMulticlass(const ml::TrainReport& r) {
  std::vector<Table::Column> cols = {{"model"},        {"accuracy", true}, {"balanced", true},
                                     {"kappa", true},  {"macro F1", true}, {"precision", true},
                                     {"recall", true}, {"ROC AUC", true},  {"log loss", true},
                                     {"seconds", true}};
  if (r.test_rows) {
    cols.push_back({"test accuracy", true});
    cols.push_back({"test macro F1", true});
  }
  Table t(std::move(cols));
  for (const ml::ModelEvaluation& e : r.models) {
    std::vector<std::string> row = {e.kind,
                                    Metric(e.mean.accuracy),
                                    Metric(e.mean.balanced_accuracy),
                                    Metric(e.mean.kappa),
                                    Metric(e.mean.f1),
                                    Metric(e.mean.precision),
                                    Metric(e.mean.recall),
                                    Metric(e.mean.roc_auc),
                                    Metric(e.mean.log_loss),
                                    Metric(e.seconds, 2)};
    if (e.test) {
      row.push_back(Metric(e.test->accuracy));
      row.push_back(Metric(e.test->f1));
    }
    t.AddRow(std::move(row));
  }
  t.Print();
  const ml::ModelEvaluation& e = r.models.front();
  const size_t k = r.classes.size();
  const ml::MulticlassScores m = ml::FromMatrix(e.mean.matrix, k);
  fmt::print("{}, all folds: actual class (rows) by predicted class (columns)\n", e.kind);
  std::vector<Table::Column> mcols = {{"class"}};
  for (const std::string& c : r.classes)
    mcols.push_back({c, true});
  for (const char* c : {"precision", "recall", "F1"})
    mcols.push_back({c, true});
  Table mt(std::move(mcols));
  for (size_t a = 0; a < k; ++a) {
    std::vector<std::string> row = {r.classes[a]};
    for (size_t b = 0; b < k; ++b)
      row.push_back(FormatCount(e.mean.matrix[a * k + b]));
    const ml::ClassScores c = m.of(a);
    row.push_back(Metric(c.precision, 3));
    row.push_back(Metric(c.recall, 3));
    row.push_back(Metric(c.f1, 3));
    mt.AddRow(std::move(row));
  }
  mt.Print();
}

void PrintReport(const ml::TrainReport& r) {
  fmt::print("{}: {} rows{}, {} features, label {}{}; {} {}-fold (seed {})\n", r.name,
             FormatCount(static_cast<int64_t>(r.rows)),
             r.units > 1 ? fmt::format(" of {} units", r.units) : std::string(), r.features.size(),
             r.label,
             r.task == ml::Task::kBinary ? fmt::format(" ({} positive, {:.1f}%)", r.positives,
                                                       100.0 * static_cast<double>(r.positives) /
                                                           static_cast<double>(r.rows))
             : r.task == ml::Task::kMulticlass
                 ? fmt::format(" ({} classes: {})", r.classes.size(), fmt::join(r.classes, ", "))
                 : std::string(),
             ml::ToString(r.split.kind), r.split.folds, r.split.seed);
  if (r.task == ml::Task::kBinary) {
    Table t({{"model"},
             {"ROC AUC", true},
             {"PR AUC", true},
             {"F1", true},
             {"precision", true},
             {"recall", true},
             {"threshold", true},
             {"Brier", true},
             {"seconds", true}});
    for (const ml::ModelEvaluation& e : r.models) {
      t.AddRow({e.kind, Metric(e.mean.roc_auc), Metric(e.mean.pr_auc), Metric(e.mean.f1),
                Metric(e.mean.precision), Metric(e.mean.recall), Metric(e.mean.threshold, 3),
                Metric(e.mean.brier), Metric(e.seconds, 2)});
    }
    t.Print();
  } else if (r.task == ml::Task::kMulticlass) {
    PrintMulticlass(r);
  } else {
    std::vector<Table::Column> cols = {
        {"model"}, {"RMSE", true}, {"MAE", true}, {"PHM08", true}, {"seconds", true}};
    const ml::FoldScores* first_test =
        r.models.empty() || !r.models.front().test ? nullptr : &*r.models.front().test;
    const bool capped = first_test && first_test->cap;
    if (r.test_rows) {
      for (const char* c : {"test RMSE", "test MAE", "test PHM08"})
        cols.push_back({c, true});
    }
    if (capped) {
      for (const char* c : {"capped RMSE", "capped MAE", "capped PHM08"})
        cols.push_back({c, true});
    }
    Table t(std::move(cols));
    for (const ml::ModelEvaluation& e : r.models) {
      std::vector<std::string> row = {e.kind, Metric(e.mean.rmse, 3), Metric(e.mean.mae, 3),
                                      Metric(e.mean.phm08, 1), Metric(e.seconds, 2)};
      if (e.test) {
        row.push_back(Metric(e.test->rmse, 3));
        row.push_back(Metric(e.test->mae, 3));
        row.push_back(Metric(e.test->phm08, 1));
        if (capped) {
          row.push_back(Metric(e.test->capped_rmse, 3));
          row.push_back(Metric(e.test->capped_mae, 3));
          row.push_back(Metric(e.test->capped_phm08, 1));
        }
      }
      t.AddRow(std::move(row));
    }
    t.Print();
    if (r.test_rows)
      fmt::print("Test: {} rows, scored once by the models fitted on all rows.\n", r.test_rows);
    if (capped) {
      fmt::print(
          "test RMSE, MAE, PHM08: against the true remaining life; capped: against it capped at "
          "{:g}, as the training target and as published results score it.\n",
          *first_test->cap);
      for (const ml::ModelEvaluation& e : r.models) {
        if (!e.test) continue;
        fmt::print(
            "{} on the {} test units: RMSE {} ({}) against the true remaining life, {} ({}) "
            "capped at {:g}; PHM08 {} ({}), capped {} ({}).\n",
            e.kind, r.test_units, Metric(e.test->rmse, 3), IntervalText(e, "rmse"),
            Metric(e.test->capped_rmse, 3), IntervalText(e, "capped_rmse"), *e.test->cap,
            Metric(e.test->phm08, 1), IntervalText(e, "phm08"), Metric(e.test->capped_phm08, 1),
            IntervalText(e, "capped_phm08"));
      }
    }
  }
  for (const std::string& step : r.preprocessing)
    fmt::print("Preprocessing, {}\n", step);
  if (!r.models.empty()) {
    const ml::ModelEvaluation& e = r.models.front();
    fmt::print("What each fold of {} learnt, from its training rows only:\n", e.kind);
    for (size_t i = 0; i < e.fits.size(); ++i) {
      fmt::print("  fold {}: {}: {}.\n", i + 1, ml::DescribeFoldRows(e.fits[i]),
                 fmt::join(e.fits[i].steps, "; "));
    }
  }
  fmt::print("Metrics are means over the folds; each fold's model never saw its rows.\n");
  for (const ml::ModelEvaluation& e : r.models) {
    if (e.test_interval.empty()) continue;
    std::string list;
    for (const auto& [name, i] : e.test_interval)
      list += fmt::format("{}{} {}–{}", list.empty() ? "" : ", ", name, Metric(i.low, 3),
                          Metric(i.high, 3));
    fmt::print(
        "{} test, {:g} % bootstrap intervals ({} resamples of the {} test units, seed {}): "
        "{}.\n",
        e.kind, 100 * r.bootstrap.level, r.bootstrap.resamples, r.test_units, r.bootstrap.seed,
        list);
  }
  for (const ml::ModelEvaluation& e : r.models) {
    if (!e.fit_summary.empty()) fmt::print("{} on all rows: {}.\n", e.kind, e.fit_summary);
  }
  if (r.permutation && !r.models.empty()) {
    fmt::print("{}.\n", ml::DescribePermutation(*r.permutation, r.models.front().kind));
  }
}

// The progress line's text after each step of the cross-validation: the last fold done and
// its time, and what runs now ("train: xgboost fold 2/5 done in 3.1 s; fold 3/5 ...").
class FoldProgressText {
 public:
  std::string operator()(const ml::FoldProgress& p) {
    if (p.done) {
      last_ =
          fmt::format("train: {} fold {}/{} done in {:.1f} s", p.kind, p.fold, p.folds, p.seconds);
      return last_;
    }
    if (p.fold == 0) return fmt::format("{}; fitting on all rows ...", last_);
    if (p.fold == 1) return fmt::format("train: {} fold 1/{} ...", p.kind, p.folds);
    return fmt::format("{}; fold {}/{} ...", last_, p.fold, p.folds);
  }

 private:
  std::string last_;
};

Status RunTrain(const TrainCli& o) {
  FH_ASSIGN_OR_RETURN(ml::TrainingSpec spec, ml::LoadTrainingSpec(o.spec));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(ml::BuiltDataset built, ml::BuildDataset(hub->storage(), spec));
  std::optional<ml::Dataset> test;
  if (spec.test) {
    FH_ASSIGN_OR_RETURN(test, ml::BuildTestDataset(hub->storage(), spec, built));
  }
  // On a terminal only (ProgressLine): a fold of a wide data set takes minutes, and stdout
  // stays the report or the JSON.
  ProgressLine line;
  FoldProgressText text;
  Result<ml::TrainReport> report = ml::CrossValidate(
      built.data, spec, test ? &*test : nullptr,
      [&](const ml::FoldProgress& p) { line.Show(text(p)); }, ml::FoldPreparation(spec, built));
  line.Clear();
  if (!report.ok()) return report.status().WithContext(o.spec);
  if (o.permutation && !spec.permutation_seed) spec.permutation_seed = spec.split.seed;
  if (spec.permutation_seed) {
    FH_ASSIGN_OR_RETURN(report->permutation,
                        ml::RunPermutationCheck(
                            spec, built, report->models.front(), *spec.permutation_seed,
                            [&](const ml::FoldProgress& p) {
                              ml::FoldProgress shuffled = p;
                              const std::string kind = fmt::format("{} (shuffled labels)", p.kind);
                              shuffled.kind = kind;
                              line.Show(text(shuffled));
                            }));
    line.Clear();
  }
  report->preprocessing = built.preprocessing.Describe();
  nlohmann::ordered_json doc = ml::TrainReportJson(*report);
  if (!built.preprocessing.empty()) doc["preprocessing"] = built.preprocessing.ToJson();
  if (!o.predictions.empty()) {
    if (!test) return InvalidArgument("--predictions: the spec has no test set (test:)");
    std::ofstream out(o.predictions, std::ios::binary);
    out << ml::TestPredictionsCsv(*report, report->models.front(), *test);
    if (!out) return IOError("cannot write {}", o.predictions);
  }
  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary);
    out << ml::TrainReportHtml(*report);
    if (!out) return IOError("cannot write {}", o.html);
  }
  // A model that scores above chance on shuffled labels reads the answer: never stored.
  const bool leaks = report->permutation && !report->permutation->at_chance();
  std::optional<ml::RegisteredModel> stored;
  if (!o.no_save && !leaks) {
    FH_ASSIGN_OR_RETURN(ml::RegisteredModel m, ml::ModelToRegister(spec, built, *report, doc));
    {
      CatalogSession session = hub->OpenCatalog();
      ml::ModelRegistry registry(session.models());
      FH_ASSIGN_OR_RETURN(stored, registry.RegisterTrainedOn(std::move(m), built.tags));
    }
    doc["stored_as"] = stored->label();
    FH_RETURN_IF_ERROR(Audit(*hub, "model.train", stored->label(),
                             {{"kind", stored->kind},
                              {"rows", stored->training_rows},
                              {"batches", stored->training_batches}}));
  }
  if (o.json) {
    PrintJson(doc);
  } else {
    PrintReport(*report);
    if (stored) {
      fmt::print("Stored {} ({}{}); use it with factoryhub predict --model {}\n", stored->label(),
                 stored->kind,
                 stored->threshold ? fmt::format(", threshold {:.3f}", *stored->threshold) : "",
                 stored->label());
    }
  }
  if (leaks) {
    return FailedPrecondition(
        "{}: the label-permutation check failed: {} on shuffled labels is {:.3f}, chance {:g}; "
        "{}",
        o.spec, report->permutation->metric, report->permutation->permuted,
        report->permutation->chance, o.no_save ? "see the report" : "the model was not stored");
  }
  return Status::Ok();
}

}  // namespace

Command RegisterTrain(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "train", "Cross-validate a model on the hub's data as a training spec describes");
  auto o = std::make_shared<TrainCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("--spec", o->spec, "The training spec (YAML, docs/ml.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_flag("--no-save", o->no_save, "Only evaluate: do not store the model");
  sub->add_option("--html", o->html,
                  "Also write the report as an HTML page (curves, predicted vs actual, "
                  "importance)");
  sub->add_option("--predictions", o->predictions,
                  "Also write the spec's model's predictions of its test set as CSV (unit, "
                  "time, truth, prediction)");
  sub->add_flag("--permutation", o->permutation,
                "Also run the label-permutation check (as the spec's permutation: true does): "
                "the model cross-validated on shuffled labels must score at chance, or the "
                "command fails and stores nothing");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Example:\n  factoryhub train --hub /tmp/ai4i --spec examples/ai4i2020/spec.yaml --json");
  return {sub, [o] { return RunTrain(*o); }};
}

}  // namespace fh::cli
