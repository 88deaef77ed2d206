#include "ml/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "ml/linear_model.h"
#include "ml/multiclass_metrics.h"
#include "ml/neural_model.h"
#include "ml/split.h"
#include "ml/xgboost_model.h"

namespace fh::ml {

namespace {

// The F1-best threshold from out-of-fold scores of inner folds of `train` (the data's rows
// `rows`); with `prepare`, each inner fold preprocessed by its own training rows.
Result<double> TuneThreshold(std::span<const size_t> rows, const Dataset& train,
                             const TrainingSpec& spec, std::string_view kind,
                             const FoldPreparer& prepare) {
  SplitSpec inner = spec.split;
  inner.kind = SplitKind::kStratifiedKFold;
  inner.folds = spec.inner_folds;
  inner.seed = spec.split.seed + 1;
  FH_ASSIGN_OR_RETURN(std::vector<Fold> folds, MakeFolds(train, inner));
  std::vector<double> scores(train.rows());
  for (const Fold& f : folds) {
    Dataset prepared;
    if (prepare) {
      std::vector<size_t> fit_rows;
      for (size_t i : f.train)
        fit_rows.push_back(rows[i]);
      FH_ASSIGN_OR_RETURN(PreparedFold all, prepare(fit_rows));
      prepared = all.data.Subset(rows);
    }
    const Dataset& source = prepare ? prepared : train;
    FH_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, MakeModel(spec, kind));
    FH_RETURN_IF_ERROR(m->Fit(source.Subset(f.train)));
    FH_ASSIGN_OR_RETURN(std::vector<double> p, m->Predict(source.Subset(f.validate)));
    for (size_t k = 0; k < f.validate.size(); ++k)
      scores[f.validate[k]] = p[k];
  }
  return BestF1Threshold(scores, train.y).threshold;
}

FoldScores Score(const TrainingSpec& spec, std::span<const double> predicted,
                 std::span<const double> actual, double threshold, size_t classes) {
  FoldScores s;
  s.rows = actual.size();
  if (spec.task == Task::kMulticlass) {
    const MulticlassScores m = ScoreMulticlass(predicted, actual, classes);
    s.roc_auc = m.roc_auc;
    s.pr_auc = m.pr_auc;
    s.f1 = m.macro_f1;
    s.precision = m.macro_precision;
    s.recall = m.macro_recall;
    s.accuracy = m.accuracy;
    s.log_loss = m.log_loss;
    s.balanced_accuracy = m.balanced_accuracy;
    s.kappa = m.kappa;
    s.matrix = m.matrix;
  } else if (spec.task == Task::kBinary) {
    s.roc_auc = RocAuc(predicted, actual);
    s.pr_auc = PrAuc(predicted, actual);
    s.threshold = threshold;
    s.confusion = ConfusionAt(predicted, actual, threshold);
    s.f1 = s.confusion.f1();
    s.precision = s.confusion.precision();
    s.recall = s.confusion.recall();
    s.brier = BrierScore(predicted, actual);
  } else {
    s.rmse = Rmse(predicted, actual);
    s.mae = Mae(predicted, actual);
    s.phm08 = Phm08Score(predicted, actual);
  }
  return s;
}

// A test set's scores: Score's, and for a RUL test set with a cap the literature's protocol
// too, the truth capped as the training target was.
FoldScores ScoreTest(const TrainingSpec& spec, std::span<const double> predicted,
                     std::span<const double> actual, double threshold, size_t classes) {
  FoldScores s = Score(spec, predicted, actual, threshold, classes);
  if (spec.task != Task::kRegression || !spec.test || !spec.test->cap) return s;
  std::vector<double> capped(actual.begin(), actual.end());
  for (double& y : capped)
    y = std::min(y, *spec.test->cap);
  s.cap = spec.test->cap;
  s.capped_rmse = Rmse(predicted, capped);
  s.capped_mae = Mae(predicted, capped);
  s.capped_phm08 = Phm08Score(predicted, capped);
  return s;
}

// Class indices 0..K-1, at least two classes present.
Status CheckClasses(const Dataset& data, const std::string& label) {
  const size_t k = data.classes.size();
  if (k < 2) return InvalidArgument("label '{}': a multi-class label needs classes", label);
  std::vector<size_t> count(k, 0);
  for (double y : data.y) {
    if (!(y >= 0 && y < static_cast<double>(k)) || y != std::floor(y)) {
      return InvalidArgument("label '{}': {} is not a class index (0 to {})", label, y, k - 1);
    }
    ++count[static_cast<size_t>(y)];
  }
  if (std::count(count.begin(), count.end(), size_t{0}) + 1 >= static_cast<std::ptrdiff_t>(k)) {
    return InvalidArgument("label '{}': only one class in the data", label);
  }
  return Status::Ok();
}

FoldScores Mean(const std::vector<FoldScores>& folds) {
  FoldScores m;
  m.threshold = 0;
  const auto n = static_cast<double>(folds.size());
  for (const FoldScores& f : folds) {
    m.roc_auc += f.roc_auc / n;
    m.pr_auc += f.pr_auc / n;
    m.f1 += f.f1 / n;
    m.precision += f.precision / n;
    m.recall += f.recall / n;
    m.threshold += f.threshold / n;
    m.rmse += f.rmse / n;
    m.mae += f.mae / n;
    m.phm08 += f.phm08 / n;
    m.accuracy += f.accuracy / n;
    m.log_loss += f.log_loss / n;
    m.balanced_accuracy += f.balanced_accuracy / n;
    m.kappa += f.kappa / n;
    m.brier += f.brier / n;
    if (m.matrix.empty()) m.matrix.assign(f.matrix.size(), 0);
    for (size_t k = 0; k < f.matrix.size(); ++k)
      m.matrix[k] += f.matrix[k];
    m.rows += f.rows;
    m.confusion.tp += f.confusion.tp;
    m.confusion.fp += f.confusion.fp;
    m.confusion.tn += f.confusion.tn;
    m.confusion.fn += f.confusion.fn;
  }
  return m;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Each score's standard deviation across the folds.
std::vector<std::pair<std::string, double>> Spread(const std::vector<FoldScores>& folds,
                                                   Task task) {
  std::vector<std::pair<std::string, double>> out;
  std::vector<double> values(folds.size());
  for (const ScoreField& f : ScoreFields(task)) {
    for (size_t i = 0; i < folds.size(); ++i)
      values[i] = folds[i].*f.value;
    out.emplace_back(f.name, SampleStdDev(values));
  }
  return out;
}

// The test scores' bootstrap intervals: the test rows resampled by unit, each resample
// scored as the whole test set is (capped too when the spec caps).
std::vector<std::pair<std::string, Interval>> TestIntervals(const TrainingSpec& spec,
                                                            const Dataset& test,
                                                            const ModelEvaluation& e,
                                                            size_t classes,
                                                            const BootstrapOptions& options) {
  const std::optional<double> cap =
      spec.task == Task::kRegression && spec.test ? spec.test->cap : std::nullopt;
  const std::vector<ScoreField> fields = ScoreFields(spec.task, cap.has_value());
  const size_t outputs = spec.task == Task::kMulticlass ? classes : 1;
  std::vector<double> p, y;
  auto metric = [&](std::span<const size_t> rows) {
    p.clear();
    y.clear();
    for (size_t i : rows) {
      p.insert(p.end(), e.test_predictions.begin() + static_cast<ptrdiff_t>(i * outputs),
               e.test_predictions.begin() + static_cast<ptrdiff_t>((i + 1) * outputs));
      y.push_back(test.y[i]);
    }
    const FoldScores s = ScoreTest(spec, p, y, e.threshold.value_or(0.5), classes);
    std::vector<double> values;
    for (const ScoreField& f : fields)
      values.push_back(s.*f.value);
    return values;
  };
  const std::vector<Interval> intervals =
      BootstrapIntervals(test.rows(), test.group, fields.size(), metric, options);
  std::vector<std::pair<std::string, Interval>> out;
  for (size_t j = 0; j < fields.size(); ++j)
    out.emplace_back(fields[j].name, intervals[j]);
  return out;
}

// The rows and units a fold trains and is scored on.
FoldFit FitOf(const Dataset& data, const Fold& f) {
  FoldFit fit;
  fit.train_rows = f.train.size();
  fit.validate_rows = f.validate.size();
  if (data.group.empty()) return fit;  // no units: rows only
  std::set<std::string_view> train, validate;
  for (size_t i : f.train)
    train.insert(data.group[i]);
  for (size_t i : f.validate)
    validate.insert(data.group[i]);
  fit.train_units = train.size();
  fit.validate_units = validate.size();
  for (std::string_view u : validate) {
    fit.shared_units += train.count(u);
    fit.held_out.emplace_back(u);
  }
  return fit;
}

// With `fit_all`, also the model fitted on all rows (what is kept and scored on a test set).
Result<ModelEvaluation> Evaluate(const Dataset& data, const std::vector<Fold>& folds,
                                 const TrainingSpec& spec, std::string_view kind,
                                 const ProgressFn& progress, const FoldPreparer& prepare,
                                 bool fit_all = true) {
  ModelEvaluation e;
  e.kind = std::string(kind);
  const size_t outputs = spec.task == Task::kMulticlass ? data.classes.size() : 1;
  e.out_of_fold.assign(data.rows() * outputs, 0);
  const int n = static_cast<int>(folds.size());
  auto tell = [&](int fold, bool done, double seconds) {
    if (progress) progress({kind, fold, n, done, seconds});
  };
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    const Fold& f = folds[static_cast<size_t>(i)];
    const auto fold_start = std::chrono::steady_clock::now();
    tell(i + 1, false, 0);
    PreparedFold prepared;
    if (prepare) {
      FH_ASSIGN_OR_RETURN(prepared, prepare(f.train));
    }
    const Dataset& source = prepare ? prepared.data : data;
    FoldFit fit = FitOf(data, f);
    fit.steps = std::move(prepared.steps);
    const Dataset train = source.Subset(f.train);
    const Dataset validate = source.Subset(f.validate);
    double threshold = spec.threshold.value_or(0.5);
    if (spec.task == Task::kBinary && !spec.threshold) {
      FH_ASSIGN_OR_RETURN(threshold, TuneThreshold(f.train, train, spec, kind, prepare));
      fit.steps.push_back(
          fmt::format("threshold: {:.3f}, the F1-best over {} inner folds of these training rows",
                      threshold, spec.inner_folds));
    }
    FH_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, MakeModel(spec, kind));
    FH_RETURN_IF_ERROR(m->Fit(train));
    const std::string summary = m->FitSummary();
    fit.steps.push_back(summary.empty() ? std::string(kind) : fmt::format("{}: {}", kind, summary));
    e.fits.push_back(std::move(fit));
    FH_ASSIGN_OR_RETURN(std::vector<double> p, m->Predict(validate));
    for (size_t k = 0; k < f.validate.size(); ++k) {
      std::copy_n(p.begin() + static_cast<ptrdiff_t>(k * outputs), outputs,
                  e.out_of_fold.begin() + static_cast<ptrdiff_t>(f.validate[k] * outputs));
    }
    e.folds.push_back(Score(spec, p, validate.y, threshold, data.classes.size()));
    tell(i + 1, true, SecondsSince(fold_start));
  }
  e.seconds = SecondsSince(start);
  e.mean = Mean(e.folds);
  e.spread = Spread(e.folds, spec.task);
  if (!fit_all) return e;
  tell(0, false, 0);
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Model> all, MakeModel(spec, kind));
  FH_RETURN_IF_ERROR(all->Fit(data));
  e.importance = all->FeatureImportance();
  e.fit_summary = all->FitSummary();
  e.fitted = std::move(all);
  if (spec.task == Task::kBinary) {
    e.threshold =
        spec.threshold ? *spec.threshold : BestF1Threshold(e.out_of_fold, data.y).threshold;
  }
  return e;
}

}  // namespace

std::string DescribeFoldRows(const FoldFit& f) {
  if (f.train_units == 0) {
    return fmt::format("{} rows; scored on {} other rows", f.train_rows, f.validate_rows);
  }
  auto units = [](size_t n) { return fmt::format("{} unit{}", n, n == 1 ? "" : "s"); };
  return fmt::format("{} rows of {}; scored on {} rows of {}", f.train_rows, units(f.train_units),
                     f.validate_rows,
                     f.shared_units == 0 ? fmt::format("{} other{} (none shared)", f.validate_units,
                                                       f.validate_units == 1 ? " unit" : " units")
                                         : fmt::format("{} ({} shared: the split is not by unit)",
                                                       units(f.validate_units), f.shared_units));
}

std::vector<ScoreField> ScoreFields(Task task, bool capped) {
  switch (task) {
    case Task::kBinary:
      return {{"roc_auc", &FoldScores::roc_auc}, {"pr_auc", &FoldScores::pr_auc},
              {"f1", &FoldScores::f1},           {"precision", &FoldScores::precision},
              {"recall", &FoldScores::recall},   {"brier", &FoldScores::brier}};
    case Task::kMulticlass:
      return {{"accuracy", &FoldScores::accuracy},
              {"balanced_accuracy", &FoldScores::balanced_accuracy},
              {"kappa", &FoldScores::kappa},
              {"macro_f1", &FoldScores::f1},
              {"macro_precision", &FoldScores::precision},
              {"macro_recall", &FoldScores::recall},
              {"roc_auc", &FoldScores::roc_auc},
              {"log_loss", &FoldScores::log_loss}};
    case Task::kRegression:
    case Task::kAnomaly:
      break;
  }
  std::vector<ScoreField> out = {
      {"rmse", &FoldScores::rmse}, {"mae", &FoldScores::mae}, {"phm08", &FoldScores::phm08}};
  if (capped) {
    out.push_back({"capped_rmse", &FoldScores::capped_rmse});
    out.push_back({"capped_mae", &FoldScores::capped_mae});
    out.push_back({"capped_phm08", &FoldScores::capped_phm08});
  }
  return out;
}

Result<std::unique_ptr<Model>> MakeModel(const TrainingSpec& spec, std::string_view kind) {
  if (kind == "xgboost") {
    XgboostOptions o;
    o.rounds = spec.model.rounds;
    o.params = spec.model.params;
    o.balanced = spec.model.balanced;
    o.seed = spec.split.seed;
    return std::unique_ptr<Model>(new XgboostModel(spec.task, std::move(o)));
  }
  if (kind == "logistic" || kind == "linear") {
    LinearOptions o;
    o.l2 = spec.model.l2;
    o.balanced = spec.model.balanced;
    return std::unique_ptr<Model>(new LinearModel(spec.task, o));
  }
  if (kind == "mlp" || kind == "cnn" || kind == "lstm") {
    NeuralOptions o;
    o.network = spec.model.network;
    o.network.kind = std::string(kind);
    o.network.seed = spec.split.seed;
    o.validation = spec.model.validation;
    o.balanced = spec.model.balanced;
    return std::unique_ptr<Model>(new NeuralModel(spec.task, std::move(o)));
  }
  return InvalidArgument("model: unknown kind '{}'", kind);
}

Result<ModelEvaluation> CrossValidateOnly(const Dataset& data, const TrainingSpec& spec,
                                          const ProgressFn& progress, const FoldPreparer& prepare) {
  if (data.rows() == 0) return InvalidArgument("the data set has no rows");
  FH_ASSIGN_OR_RETURN(std::vector<Fold> folds, MakeFolds(data, spec.split));
  return Evaluate(data, folds, spec, spec.model.kind, progress, prepare, /*fit_all=*/false);
}

Result<TrainReport> CrossValidate(const Dataset& data, const TrainingSpec& spec,
                                  const Dataset* test, const ProgressFn& progress,
                                  const FoldPreparer& prepare) {
  if (data.rows() == 0) return InvalidArgument("the data set has no rows");
  TrainReport r;
  r.name = spec.name;
  r.task = spec.task;
  r.rows = data.rows();
  r.features = data.features;
  r.label = spec.label.rul ? "rul" : spec.label.derived() ? "class" : spec.label.column;
  r.split = spec.split;
  r.label_values = data.y;
  r.units = std::set<std::string>(data.group.begin(), data.group.end()).size();
  r.classes = data.classes;
  if (spec.task == Task::kMulticlass) {
    FH_RETURN_IF_ERROR(CheckClasses(data, r.label));
  } else if (spec.task == Task::kBinary) {
    for (double y : data.y) {
      if (y != 0 && y != 1) {
        return InvalidArgument("label '{}': a binary label is 0 or 1, not {}", r.label, y);
      }
      r.positives += y != 0 ? 1 : 0;
    }
    if (r.positives == 0 || r.positives == data.rows()) {
      return InvalidArgument("label '{}': only one class in the data", r.label);
    }
  }
  FH_ASSIGN_OR_RETURN(std::vector<Fold> folds, MakeFolds(data, spec.split));
  if (test) {
    r.test_rows = test->rows();
    r.test_labels = test->y;
    r.test_units = test->group.empty()
                       ? test->rows()
                       : std::set<std::string>(test->group.begin(), test->group.end()).size();
  }
  std::vector<std::string> kinds = {spec.model.kind};
  const std::string baseline = spec.task == Task::kRegression ? "linear" : "logistic";
  if (spec.baseline && spec.model.kind != baseline) kinds.push_back(baseline);
  for (const std::string& kind : kinds) {
    FH_ASSIGN_OR_RETURN(ModelEvaluation e, Evaluate(data, folds, spec, kind, progress, prepare));
    if (test) {
      FH_ASSIGN_OR_RETURN(e.test_predictions, e.fitted->Predict(*test));
      e.test = ScoreTest(spec, e.test_predictions, test->y, e.threshold.value_or(0.5),
                         data.classes.size());
      e.test_interval = TestIntervals(spec, *test, e, data.classes.size(), r.bootstrap);
    }
    r.models.push_back(std::move(e));
  }
  return r;
}

}  // namespace fh::ml
