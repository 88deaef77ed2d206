// The column steps of a training spec's preprocessing (`preprocess: regimes`, `normalize`):
// fitted on some rows of the raw columns, applied to any rows. They run before the features
// are computed, so that windows, lags and expressions read normalised values.
//
// Rows are numbered as ComputeDataset numbers them: the units in order, each unit's rows in
// time order. A fold's training rows are such numbers, so nothing of its held-out rows is
// read while fitting.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/column_data.h"
#include "ml/preprocess/regimes.h"
#include "ml/training_spec.h"

namespace fh::ml {

class ColumnStage {
 public:
  // `seed`: k-means++'s when the spec names none.
  static Result<ColumnStage> Fit(const PreprocessSpec& spec, const ColumnData& data,
                                 std::span<const size_t> rows, uint64_t seed);
  // Adds the regime columns (name, name_rows) and normalises the named columns, in place.
  // A row whose regime is unknown (a setting missing, a code the training rows never had)
  // is normalised by the statistics of all training rows.
  Status Apply(ColumnData& data) const;

  // What was learnt, as stored with the model and shown in the report.
  nlohmann::ordered_json ToJson() const;
  static Result<ColumnStage> FromJson(const nlohmann::json& json);

  int regimes() const { return regimes_; }
  const std::string& regime_column() const { return name_; }

 private:
  // Each row's regime, -1 when unknown; rows numbered as in the header comment.
  std::vector<int> RegimesOf(const ColumnData& data) const;

  // Regimes: none when name_ is empty; from a column's codes (codes_: the training rows'
  // distinct values, a regime each) or learned from settings.
  std::string name_;
  std::string source_;
  std::vector<double> codes_;
  RegimeModel model_;  // learned: columns index settings_
  std::vector<std::string> settings_;
  double silhouette_ = 0;  // learned: of the chosen k
  std::vector<int64_t> rows_per_regime_;
  int regimes_ = 0;
  // Normalisation: offset_ and scale_ are [regime][column], the last row over all training
  // rows (every row's when not per regime).
  std::vector<std::string> normalized_;
  bool minmax_ = false;
  bool per_regime_ = false;
  std::vector<std::vector<double>> offset_, scale_;
};

// The columns regimes named `name` add: the regime, and the rows since it last changed.
std::vector<std::string> RegimeColumns(const std::string& name);

// The rows of `columns` of every unit, one after another, as a data set (a missing column
// is NaN): what the kernels of regimes.h read.
Dataset FlattenColumns(const ColumnData& data, const std::vector<std::string>& columns);

}  // namespace fh::ml
