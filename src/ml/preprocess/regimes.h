// Operating regimes, learned leak-free (issue 23): a fleet runs in several regimes
// (altitude and throttle settings, products, recipes) and a sensor's level jumps with the
// regime far more than it drifts with wear. Regimes are learned as k-means clusters over
// named setting columns, and features are normalised per regime; both are fitted on the
// rows given (a fold's training rows) and applied to any row, so that nothing of a held-out
// unit is ever seen while fitting.
// The training spec's `preprocess: regimes` (preprocess/column_stage.h) runs them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"

namespace fh::ml {

struct KMeansOptions {
  int k = 2;
  uint64_t seed = 1;
  int max_iterations = 100;
};

// k-means over a row's setting columns. Settings are compared in units of their training
// standard deviation, so that a setting in thousands of feet does not drown one in Mach.
struct RegimeModel {
  std::vector<size_t> columns;               // the setting columns, indexes into a row
  std::vector<double> mean, scale;           // per setting, from the training rows
  std::vector<std::vector<double>> centres;  // k centres, in scaled units

  // The nearest centre to the row's settings; -1 when a setting is missing (NaN).
  int Assign(std::span<const float> row) const;
  // Every row of `data`.
  std::vector<int> AssignAll(const Dataset& data) const;
};

// Fits on data's rows `rows` only: k-means++ seeding with `seed`, then Lloyd's iterations
// until no row changes its centre; the centres sorted by their settings. InvalidArgument when fewer
// rows with every setting than k, or k < 1.
Result<RegimeModel> FitRegimes(const Dataset& data, std::span<const size_t> rows,
                               std::span<const size_t> columns, const KMeansOptions& options);

// The mean silhouette of `model`'s clusters over `sample` (rows of `data`; rows with a
// missing setting are left out): near 1 when the rows sit tight around well-separated
// centres, near 0 when clusters touch. 0 for one cluster.
double MeanSilhouette(const RegimeModel& model, const Dataset& data,
                      std::span<const size_t> sample);

enum class RegimeScaling { kZScore, kMinMax };

// Per-regime normalisation of features: per (regime, feature) the mean and standard
// deviation (z-score) or the minimum and maximum (min-max) of the training rows. A regime
// without training rows, or a feature constant within its regime, falls back to the
// feature's statistic over all training rows. Missing values stay missing.
class RegimeNormalizer {
 public:
  // `regime_of_row`: every row's regime (RegimeModel::AssignAll), -1 for none.
  static RegimeNormalizer Fit(const Dataset& data, std::span<const size_t> rows,
                              std::span<const int> regime_of_row, std::span<const size_t> features,
                              RegimeScaling scaling, int regimes);
  // Normalises `data`'s features in place, each row by its regime's statistics.
  void Apply(Dataset& data, std::span<const int> regime_of_row) const;

  // What was learnt, for the report and the model's version: [regime][feature] (the last
  // regime index is the fallback over all training rows).
  const std::vector<std::vector<double>>& offset() const { return offset_; }
  const std::vector<std::vector<double>>& scale() const { return scale_; }

 private:
  std::vector<size_t> features_;
  std::vector<std::vector<double>> offset_, scale_;  // regimes + 1 rows
};

}  // namespace fh::ml
