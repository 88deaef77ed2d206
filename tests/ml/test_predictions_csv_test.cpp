// The test set's per-row predictions as `train --predictions` writes them.
#include "ml/test_predictions_csv.h"

#include <gtest/gtest.h>

namespace fh::ml {
namespace {

TEST(TestPredictionsCsvTest, BinaryRowsSayTheProbabilityAndTheDecision) {
  TrainReport r;
  r.task = Task::kBinary;
  ModelEvaluation e;
  e.threshold = 0.4;
  e.test_predictions = {0.1, 0.45};
  Dataset test;
  test.y = {0, 1};
  test.group = {"mill, 1", "mill-2"};
  test.time = {0, 60'000'000'000};
  EXPECT_EQ(TestPredictionsCsv(r, e, test),
            "unit,time,truth,probability,positive\n"
            "\"mill, 1\",1970-01-01T00:00:00Z,0,0.1,0\n"
            "mill-2,1970-01-01T00:01:00Z,1,0.45,1\n");
}

TEST(TestPredictionsCsvTest, MulticlassRowsNameTheClassesAndTheirProbabilities) {
  TrainReport r;
  r.task = Task::kMulticlass;
  r.classes = {"none", "heat"};
  ModelEvaluation e;
  e.test_predictions = {0.2, 0.8, 0.9, 0.1};
  Dataset test;
  test.y = {1, 1};
  test.time = {0, 1'000'000'000};
  EXPECT_EQ(TestPredictionsCsv(r, e, test),
            "unit,time,truth,predicted,p_none,p_heat\n"
            ",1970-01-01T00:00:00Z,heat,heat,0.2,0.8\n"
            ",1970-01-01T00:00:01Z,heat,none,0.9,0.1\n");
}

}  // namespace
}  // namespace fh::ml
