// A training spec (YAML, docs/ml.md): which data of the hub, which features, which label,
// how to split, which model. Nothing in the code is specific to a data set: a new one
// needs a mapping (to import it) and a spec.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model.h"
#include "ml/network.h"
#include "ml/split.h"

namespace fh::ml {

// A feature: a column as stored, an expression over columns, a rolling window statistic
// of a column over the unit's last `window` rows (this one included), the row's position
// in its unit (1 for its first row: an engine's cycle, a machine's age in rows), or a
// column `lag` rows back in the unit (the unit's first row before its start): what
// `{sequence: N, of: [...]}` expands to, N lags per column, oldest first, for the
// sequence networks.
struct FeatureSpec {
  enum class Kind { kColumn, kExpression, kWindow, kPosition, kLag };
  Kind kind = Kind::kColumn;
  std::string name;    // the feature's name in reports
  std::string column;  // kColumn, kWindow: the column read
  std::string expr;    // kExpression
  int window = 0;      // kWindow: rows
  // kWindow: mean, std, min, max, slope, last, or ewm (the exponentially weighted mean
  // over the unit's rows so far, span `window`: alpha = 2 / (window + 1))
  std::string stat;
  int lag = 0;  // kLag: rows back (0: this row)
};

// A class of a multi-class label: its name and, when the label is derived from other
// columns, the condition (an expression) that puts a row in it; the first class whose
// condition holds wins, and a last class without one takes every other row.
struct ClassSpec {
  std::string name;
  std::string when;
};

struct LabelSpec {
  std::string column;         // the label's column; empty for rul and derived classes
  bool rul = false;           // remaining rows of the unit after this one
  std::optional<double> cap;  // rul: at most this (piece-wise linear RUL)
  // Multi-class: the classes in order. With a column, its values are the classes' indices
  // (0, 1, ...); with no classes listed, its distinct values are the classes, in order.
  std::vector<ClassSpec> classes;
  // Multi-class: the class of a healthy row, the one that raises no alarm (default: the
  // first).
  std::string normal;
  bool derived() const { return !classes.empty() && column.empty() && !rul; }
};

// A separate test set, scored once by the models fitted on all training rows (C-MAPSS's
// official test engines): its tags, and for RUL labels where the truth is.
struct TestSpec {
  std::string tags;  // a pattern like data.tags
  // RUL: a pattern with {unit} whose tags hold, per unit, the true remaining rows after the
  // unit's last row (its latest point); a row's label is that plus the rows after it.
  std::string rul_after_last;
  bool last_rows_only = true;  // rows: last (each unit's last row) or all
  // RUL: the published protocol also scores against the truth capped at this (the
  // training label's cap unless given); both figures are reported, the uncapped first.
  std::optional<double> cap;
};

struct ModelSpec {
  std::string kind = "xgboost";               // xgboost, logistic, linear, mlp, cnn, lstm
  int rounds = 300;                           // xgboost
  std::map<std::string, std::string> params;  // xgboost booster parameters
  double l2 = 1.0;                            // logistic, linear
  bool balanced = false;                      // binary: weigh both classes equally
  // Networks (mlp, cnn, lstm): `steps` comes from the features' sequence length.
  NetworkConfig network;
  double validation = 0.1;  // share of the training rows held out for early stopping
};

// Learned preprocessing (docs/ml.md "Preprocessing"): every step is fitted on a fold's
// training rows only, applied to its held-out rows, and stored with the model, which
// predict and serve apply the same way. Column steps (regimes, normalize) change the columns
// the features are computed from; feature steps (impute, scale, drop) the computed features.
struct RegimeSpec {
  std::string column;                 // regimes as a column holds them (a regime tag), or
  std::vector<std::string> settings;  // learned: k-means over these setting columns
  int k = 0;                          // clusters; 0: chosen by silhouette, 1..max_k
  int max_k = 8;
  uint64_t seed = 0;  // k-means++ seeding; 0: the split's seed
  // The column of each row's regime (0..k-1); name + "_rows": rows since it last changed.
  std::string name = "regime";
};

struct NormalizeSpec {
  std::vector<std::string> columns;
  bool minmax = false;     // else z-score
  bool per_regime = true;  // by: regime (when there are regimes), or all rows alike
};

struct PreprocessSpec {
  std::optional<RegimeSpec> regimes;
  std::optional<NormalizeSpec> normalize;
  std::string impute;  // "", mean, median, zero, previous (the unit's last value)
  std::string scale;   // "", standard, minmax
  bool drop_constant = false;
  std::optional<double> drop_correlated;  // |r| at or above: the later feature goes
  bool columns() const { return regimes.has_value() || normalize.has_value(); }
  bool any() const {
    return columns() || !impute.empty() || !scale.empty() || drop_constant || drop_correlated;
  }
};

struct TrainingSpec {
  std::string name;  // the model's name
  std::string text;  // the spec as written, stored with the model
  Task task = Task::kBinary;
  // A tag pattern: {column} names the column (it may hold '/'), {unit} the unit (no '/').
  // "ai4i/mill-01/{column}", "cmapss/fd001/train/engine-{unit}/{column}".
  std::string tags;
  std::vector<std::string> exclude;  // columns never used as inputs (globs with '*')
  // The equipment an alarm names: an asset path, {unit} replaced by the row's unit
  // ("acme/fleet/engine-{unit}"); empty: the unit itself.
  std::string equipment;
  std::vector<FeatureSpec> features;  // empty: every column but the label and exclude
  PreprocessSpec preprocess;
  LabelSpec label;
  SplitSpec split;
  // Binary: the decision threshold, tuned for F1 on inner folds of each training part
  // (never on the rows it is scored on), unless fixed here.
  std::optional<double> threshold;
  int inner_folds = 3;
  ModelSpec model;
  std::optional<TestSpec> test;
  bool baseline = true;  // also fit logistic/linear regression, shown beside the model
  // The label-permutation check (label_permutation_check.h), with its shuffle's seed:
  // `permutation: true` (the split's seed) or `permutation: { seed: N }`.
  std::optional<uint64_t> permutation_seed;
};

// `display_name` is used in errors: "spec.yaml:12:5: features: ...".
Result<TrainingSpec> ParseTrainingSpec(const std::string& text, std::string_view display_name);
Result<TrainingSpec> LoadTrainingSpec(const std::string& path);

}  // namespace fh::ml
