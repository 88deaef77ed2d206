// How good a model's predictions are: the metrics of binary classification (ROC AUC,
// PR AUC, precision, recall, F1, the confusion matrix, the Brier score and reliability
// curve of its probabilities) and of regression (RMSE, MAE and the PHM08 score of
// remaining-useful-life prediction). Pure computation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace fh::ml {

// Area under the ROC curve: the probability that a random positive scores above a random
// negative, ties counting half (Mann-Whitney). NaN when one class is absent.
double RocAuc(std::span<const double> score, std::span<const double> label);

// Area under the precision-recall curve as average precision: the sum over thresholds of
// (recall gain) x precision, with tied scores taken together (as scikit-learn's
// average_precision_score). NaN when there is no positive.
double PrAuc(std::span<const double> score, std::span<const double> label);

struct Confusion {
  int64_t tp = 0, fp = 0, tn = 0, fn = 0;
  double precision() const;  // 0 when nothing is predicted positive
  double recall() const;     // 0 when there is no positive
  double f1() const;
};

// Predicted positive when score >= threshold; a label is positive when it is not 0.
Confusion ConfusionAt(std::span<const double> score, std::span<const double> label,
                      double threshold);

// The threshold that maximises F1 over these predictions (the midpoint between the scores
// either side of the best cut), and that F1.
struct ThresholdChoice {
  double threshold = 0.5;
  double f1 = 0;
};
ThresholdChoice BestF1Threshold(std::span<const double> score, std::span<const double> label);

// Points of the ROC curve (false positive rate, true positive rate) and of the PR curve
// (recall, precision), one per distinct score, for plots; at most max_points of each,
// evenly thinned.
struct CurvePoint {
  double x = 0, y = 0;
};
std::vector<CurvePoint> RocCurve(std::span<const double> score, std::span<const double> label,
                                 size_t max_points = 200);
std::vector<CurvePoint> PrCurve(std::span<const double> score, std::span<const double> label,
                                size_t max_points = 200);

// The Brier score of binary probabilities: the mean of (probability - outcome)^2, the
// outcome 1 for a positive label. 0 is perfect; always saying 0.5 scores 0.25.
double BrierScore(std::span<const double> probability, std::span<const double> label);

// A reliability (calibration) curve: the probabilities cut into `bins` equal-width bins of
// [0, 1] (a value on an edge goes to the bin below); for each bin with rows, their mean
// probability and the share of them that were positive (scikit-learn's calibration_curve,
// strategy 'uniform'). A calibrated model's points lie on the diagonal.
struct ReliabilityBin {
  double predicted = 0;  // mean probability of the bin's rows
  double observed = 0;   // share of positives among them
  int64_t rows = 0;
};
std::vector<ReliabilityBin> ReliabilityCurve(std::span<const double> probability,
                                             std::span<const double> label, int bins = 10);

double Rmse(std::span<const double> predicted, std::span<const double> actual);
double Mae(std::span<const double> predicted, std::span<const double> actual);
// The PHM08 challenge's score of remaining-useful-life predictions, summed over units:
// d = predicted - actual, exp(-d/13) - 1 when early (d < 0), exp(d/10) - 1 when late.
double Phm08Score(std::span<const double> predicted, std::span<const double> actual);

}  // namespace fh::ml
