#include "ml/train_report_json.h"

#include <cmath>

namespace fh::ml {

namespace {

// NaN (an AUC of a fold without positives) has no JSON form: null.
nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ScoresJson(const FoldScores& s, Task task) {
  if (task == Task::kBinary) {
    return {{"roc_auc", Number(s.roc_auc)},
            {"pr_auc", Number(s.pr_auc)},
            {"f1", Number(s.f1)},
            {"precision", Number(s.precision)},
            {"recall", Number(s.recall)},
            {"threshold", Number(s.threshold)},
            {"confusion",
             {{"tp", s.confusion.tp},
              {"fp", s.confusion.fp},
              {"tn", s.confusion.tn},
              {"fn", s.confusion.fn}}},
            {"rows", s.rows}};
  }
  return {{"rmse", Number(s.rmse)},
          {"mae", Number(s.mae)},
          {"phm08", Number(s.phm08)},
          {"rows", s.rows}};
}

}  // namespace

nlohmann::ordered_json TrainReportJson(const TrainReport& r) {
  nlohmann::ordered_json models = nlohmann::ordered_json::array();
  for (const ModelEvaluation& e : r.models) {
    nlohmann::ordered_json folds = nlohmann::ordered_json::array();
    for (const FoldScores& f : e.folds)
      folds.push_back(ScoresJson(f, r.task));
    nlohmann::ordered_json importance = nlohmann::ordered_json::object();
    for (size_t j = 0; j < e.importance.size() && j < r.features.size(); ++j) {
      importance[r.features[j]] = Number(e.importance[j]);
    }
    models.push_back({{"kind", e.kind},
                      {"cv", ScoresJson(e.mean, r.task)},
                      {"folds", std::move(folds)},
                      {"importance", std::move(importance)},
                      {"train_seconds", e.seconds}});
    if (e.test) models.back()["test"] = ScoresJson(*e.test, r.task);
    if (!e.fit_summary.empty()) models.back()["fit"] = e.fit_summary;
  }
  nlohmann::ordered_json doc = {{"model", r.name},
                                {"task", std::string(ToString(r.task))},
                                {"rows", r.rows},
                                {"units", r.units},
                                {"label", r.label}};
  if (r.task == Task::kBinary) doc["positives"] = r.positives;
  doc["features"] = r.features;
  doc["split"] = {{"kind", std::string(ToString(r.split.kind))},
                  {"folds", r.split.folds},
                  {"seed", r.split.seed}};
  if (r.test_rows) doc["test_rows"] = r.test_rows;
  doc["models"] = std::move(models);
  return doc;
}

}  // namespace fh::ml
