// The HTML report's test-set sections: the confusion matrix of a classifier's test set
// beside the cross-validated one, and a regression's test units one by one.
#include "ml/train_report_html.h"

#include <gtest/gtest.h>

namespace fh::ml {
namespace {

TrainReport Report(Task task) {
  TrainReport r;
  r.name = "m";
  r.task = task;
  r.label = "y";
  r.test_rows = 3;
  ModelEvaluation e;
  e.kind = "xgboost";
  e.test = FoldScores{};
  r.models.push_back(std::move(e));
  return r;
}

TEST(TrainReportHtmlTest, AClassifiersTestSetHasItsOwnConfusionMatrix) {
  TrainReport r = Report(Task::kMulticlass);
  r.classes = {"ok", "worn"};
  r.models[0].mean.matrix = {50, 2, 3, 45};
  r.models[0].test->matrix = {7, 1, 0, 4};
  const std::string h = TrainReportHtml(r);
  const size_t cv = h.find("Confusion matrix of xgboost (all folds)");
  const size_t test = h.find("Confusion matrix of xgboost on the test set");
  ASSERT_NE(cv, std::string::npos);
  ASSERT_NE(test, std::string::npos);
  EXPECT_NE(h.find(">7</td>", test), std::string::npos);
  EXPECT_NE(h.find(">45</td>", cv), std::string::npos);

  TrainReport b = Report(Task::kBinary);
  b.models[0].threshold = 0.42;
  b.models[0].test->confusion = {.tp = 11, .fp = 2, .tn = 80, .fn = 3};
  const std::string hb = TrainReportHtml(b);
  const size_t at = hb.find("Confusion matrix of xgboost on the test set (threshold 0.420)");
  ASSERT_NE(at, std::string::npos) << hb;
  EXPECT_NE(hb.find(">11</td><td class=\"num\">3</td>", at), std::string::npos);
}

TEST(TrainReportHtmlTest, ARegressionsTestUnitsAreDrawnSortedByTheirTruth) {
  TrainReport r = Report(Task::kRegression);
  r.test_labels = {30, 10, 20};
  r.models[0].test_predictions = {28, 12, 25};
  r.models[0].test->cap = 25;
  const std::string h = TrainReportHtml(r);
  EXPECT_NE(h.find("The test set, unit by unit"), std::string::npos);
  EXPECT_NE(h.find("<title>the cap, 25</title>"), std::string::npos);
  EXPECT_NE(h.find("true value (line), xgboost (dots)"), std::string::npos);
  // No test set: no such section.
  r.test_labels.clear();
  r.models[0].test.reset();
  EXPECT_EQ(TrainReportHtml(r).find("The test set, unit by unit"), std::string::npos);
}

}  // namespace
}  // namespace fh::ml
