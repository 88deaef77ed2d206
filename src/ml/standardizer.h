// Standardised inputs, as linear models and networks want them: each feature centred on
// its training mean and scaled by its training standard deviation; a missing value (NaN)
// becomes the mean, i.e. 0. Learnt on the training rows only.
#pragma once

#include <span>
#include <vector>

#include "ml/dataset.h"

namespace fh::ml {

class Standardizer {
 public:
  void Fit(const Dataset& data);
  // Row-major, rows x cols, in doubles.
  std::vector<double> Transform(const Dataset& data) const;
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }
  void Set(std::vector<double> mean, std::vector<double> scale) {
    mean_ = std::move(mean);
    scale_ = std::move(scale);
  }

 private:
  std::vector<double> mean_;
  std::vector<double> scale_;  // 1 for a constant feature
};

}  // namespace fh::ml
