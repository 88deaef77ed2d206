#include "ml/train_report_json.h"

#include <cmath>

#include "ml/metrics.h"
#include "ml/multiclass_metrics.h"

namespace fh::ml {

namespace {

// NaN (an AUC of a fold without positives) has no JSON form: null.
nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

// Multi-class: the macro averages, the matrix, and each class's precision, recall, F1.
nlohmann::ordered_json MulticlassJson(const FoldScores& s,
                                      const std::vector<std::string>& classes) {
  const size_t k = classes.size();
  nlohmann::ordered_json matrix = nlohmann::ordered_json::array();
  nlohmann::ordered_json per_class = nlohmann::ordered_json::object();
  const MulticlassScores m = FromMatrix(s.matrix, k);
  for (size_t a = 0; a < k && s.matrix.size() == k * k; ++a) {
    matrix.push_back(std::vector<int64_t>(s.matrix.begin() + static_cast<ptrdiff_t>(a * k),
                                          s.matrix.begin() + static_cast<ptrdiff_t>((a + 1) * k)));
    const ClassScores c = m.of(a);
    per_class[classes[a]] = {
        {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}};
  }
  return {{"accuracy", Number(s.accuracy)},
          {"balanced_accuracy", Number(s.balanced_accuracy)},
          {"kappa", Number(s.kappa)},
          {"macro_f1", Number(s.f1)},
          {"macro_precision", Number(s.precision)},
          {"macro_recall", Number(s.recall)},
          {"roc_auc", Number(s.roc_auc)},
          {"pr_auc", Number(s.pr_auc)},
          {"log_loss", Number(s.log_loss)},
          {"confusion", std::move(matrix)},
          {"classes", std::move(per_class)},
          {"rows", s.rows}};
}

nlohmann::ordered_json ScoresJson(const FoldScores& s, Task task,
                                  const std::vector<std::string>& classes) {
  if (task == Task::kMulticlass) return MulticlassJson(s, classes);
  if (task == Task::kBinary) {
    return {{"roc_auc", Number(s.roc_auc)},
            {"pr_auc", Number(s.pr_auc)},
            {"f1", Number(s.f1)},
            {"precision", Number(s.precision)},
            {"recall", Number(s.recall)},
            {"threshold", Number(s.threshold)},
            {"brier", Number(s.brier)},
            {"confusion",
             {{"tp", s.confusion.tp},
              {"fp", s.confusion.fp},
              {"tn", s.confusion.tn},
              {"fn", s.confusion.fn}}},
            {"rows", s.rows}};
  }
  nlohmann::ordered_json j = {{"rmse", Number(s.rmse)},
                              {"mae", Number(s.mae)},
                              {"phm08", Number(s.phm08)},
                              {"rows", s.rows}};
  if (s.cap) {
    j["capped"] = {{"cap", *s.cap},
                   {"rmse", Number(s.capped_rmse)},
                   {"mae", Number(s.capped_mae)},
                   {"phm08", Number(s.capped_phm08)}};
  }
  return j;
}

// [[x, y], ...]: a curve as a chart draws it.
nlohmann::ordered_json CurveJson(const std::vector<CurvePoint>& points) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const CurvePoint& p : points)
    list.push_back(nlohmann::ordered_json::array({p.x, p.y}));
  return list;
}

}  // namespace

nlohmann::ordered_json TrainReportJson(const TrainReport& r) {
  nlohmann::ordered_json models = nlohmann::ordered_json::array();
  for (const ModelEvaluation& e : r.models) {
    nlohmann::ordered_json folds = nlohmann::ordered_json::array();
    for (const FoldScores& f : e.folds)
      folds.push_back(ScoresJson(f, r.task, r.classes));
    nlohmann::ordered_json importance = nlohmann::ordered_json::object();
    for (size_t j = 0; j < e.importance.size() && j < r.features.size(); ++j) {
      importance[r.features[j]] = Number(e.importance[j]);
    }
    models.push_back({{"kind", e.kind},
                      {"cv", ScoresJson(e.mean, r.task, r.classes)},
                      {"folds", std::move(folds)},
                      {"importance", std::move(importance)},
                      {"train_seconds", e.seconds}});
    // How much each score moved from fold to fold (sample standard deviation).
    nlohmann::ordered_json spread = nlohmann::ordered_json::object();
    for (const auto& [name, sd] : e.spread)
      spread[name] = Number(sd);
    models.back()["cv_sd"] = std::move(spread);
    if (e.test) {
      models.back()["test"] = ScoresJson(*e.test, r.task, r.classes);
      // [low, high] of each test score over the bootstrap's resamples of the test units.
      nlohmann::ordered_json interval = nlohmann::ordered_json::object();
      for (const auto& [name, i] : e.test_interval)
        interval[name] = {Number(i.low), Number(i.high)};
      models.back()["test_interval"] = std::move(interval);
    }
    if (!e.fit_summary.empty()) models.back()["fit"] = e.fit_summary;
    // What each fold learnt and from which rows: nothing it learnt saw its validation rows.
    nlohmann::ordered_json fitted_on = nlohmann::ordered_json::array();
    for (size_t i = 0; i < e.fits.size(); ++i) {
      const FoldFit& f = e.fits[i];
      nlohmann::ordered_json fold = {{"fold", i + 1}, {"rows", f.train_rows}};
      if (f.train_units > 0) fold["units"] = f.train_units;
      fold["validation_rows"] = f.validate_rows;
      if (f.train_units > 0) {
        fold["validation_units"] = f.validate_units;
        fold["shared_units"] = f.shared_units;
        fold["held_out"] = f.held_out;
      }
      fold["steps"] = f.steps;
      fitted_on.push_back(std::move(fold));
    }
    models.back()["fitted_on"] = std::move(fitted_on);
    // The out-of-fold ROC and PR curves (at most 200 points each) the registry keeps with the
    // model, for the dashboard.
    if (r.task == Task::kBinary && e.out_of_fold.size() == r.label_values.size() &&
        !e.out_of_fold.empty()) {
      nlohmann::ordered_json reliability = nlohmann::ordered_json::array();
      for (const ReliabilityBin& b : ReliabilityCurve(e.out_of_fold, r.label_values))
        reliability.push_back(
            {{"predicted", b.predicted}, {"observed", b.observed}, {"rows", b.rows}});
      models.back()["curves"] = {{"roc", CurveJson(RocCurve(e.out_of_fold, r.label_values))},
                                 {"pr", CurveJson(PrCurve(e.out_of_fold, r.label_values))},
                                 {"reliability", std::move(reliability)}};
    }
  }
  nlohmann::ordered_json doc = {{"model", r.name},
                                {"task", std::string(ToString(r.task))},
                                {"rows", r.rows},
                                {"units", r.units},
                                {"label", r.label}};
  if (r.task == Task::kBinary) doc["positives"] = r.positives;
  if (r.task == Task::kMulticlass) doc["classes"] = r.classes;
  doc["features"] = r.features;
  doc["split"] = {{"kind", std::string(ToString(r.split.kind))},
                  {"folds", r.split.folds},
                  {"seed", r.split.seed}};
  if (r.test_rows) {
    doc["test_rows"] = r.test_rows;
    doc["bootstrap"] = {{"resamples", r.bootstrap.resamples},
                        {"seed", r.bootstrap.seed},
                        {"level", r.bootstrap.level},
                        {"units", r.test_units}};
  }
  if (!r.preprocessing.empty()) doc["preprocessing_steps"] = r.preprocessing;
  if (const std::optional<PermutationCheck>& p = r.permutation) {
    doc["permutation"] = {{"model", r.models.empty() ? "" : r.models.front().kind},
                          {"metric", p->metric},
                          {"real", Number(p->real)},
                          {"shuffled", Number(p->permuted)},
                          {"chance", p->chance},
                          {"tolerance", Number(p->tolerance)},
                          {"at_chance", p->at_chance()},
                          {"conclusive", p->conclusive()},
                          {"seed", p->seed},
                          {"within_units", p->within_units},
                          {"shuffled_columns", p->shuffled},
                          {"seconds", p->seconds}};
  }
  doc["models"] = std::move(models);
  return doc;
}

}  // namespace fh::ml
