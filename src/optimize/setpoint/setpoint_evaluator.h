// Set-points scored on the model: a candidate's controls snapped to their steps and range,
// completed with the context into the model's inputs and features, predicted in batches
// (one Predict call per batch), its objective terms and constraint rows, and the best
// feasible candidate kept. Every stage of the search (setpoint_stages.cpp) evaluates
// through it.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "govern/expression.h"
#include "ml/column_data.h"
#include "ml/dataset_builder.h"
#include "ml/model.h"
#include "ml/model_registry.h"
#include "ml/preprocess/preprocessing.h"
#include "optimize/setpoint/controls_spec.h"

namespace fh::optimize::setpoint::setpoint_detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::string FormatG(double v) {
  return fmt::format("{:.6g}", v);
}
inline constexpr double kInf = std::numeric_limits<double>::infinity();
// A constraint row at or below this (scaled units) holds: SLSQP and COBYLA stop a hair's
// breadth outside an active constraint.
inline constexpr double kFeasibleTolerance = 1e-7;

// One candidate: the controls, the model's features there, and what they make.
struct Candidate {
  std::vector<double> x;         // every control, snapped to its steps
  std::vector<double> inputs;    // every column the model reads
  std::vector<double> features;  // the model's inputs, in its order
  double prediction = kNaN;
  double objective = kNaN;
  std::vector<double> terms;
  std::vector<double> constraints;  // each constraint's expression value
  std::vector<double> rows;         // constraint rows, <= 0 when met (nlopt's form)
  double violation = 0;             // the sum of the rows above 0
  bool predicted = false;
};

// Where an expression's variable is read: a column the model reads, or one of its features.
struct Source {
  bool feature = false;
  size_t index = 0;
};

struct CompiledExpr {
  govern::Expression expr;
  std::vector<Source> sources;
};

// A bound on a feature the controls move: the training data's range.
struct EnvelopeRow {
  size_t feature = 0;
  double min = 0, max = 0, scale = 1;
};

class Evaluator {
 public:
  const ml::RegisteredModel* registered = nullptr;
  ml::Preprocessing preprocessing;  // the model's, applied before it as predict does
  std::unique_ptr<ml::Model> model;
  const ControlsSpec* spec = nullptr;
  std::vector<std::string> columns;    // every column the model reads, sorted
  std::vector<size_t> control_column;  // per control: its index in columns
  std::vector<double> base;            // per column: the context's value (controls: NaN)
  size_t classes = 1;                  // outputs per row
  std::optional<size_t> target_class;  // multi-class: the class whose probability counts
  std::optional<size_t> normal_class;  // multi-class: 1 - its probability counts
  std::vector<CompiledExpr> terms, constraints;
  std::vector<EnvelopeRow> envelope_rows;  // empty: the envelope is not enforced
  int64_t evaluations = 0;                 // rows predicted

  std::optional<Candidate> best;             // the best feasible candidate predicted so far
  std::optional<Candidate> least_violating;  // when none is feasible
  std::vector<Candidate> feasible;           // every feasible candidate predicted

  // Per control: the range searched (its bounds and limits, narrowed to the training data's
  // range unless extrapolating).
  std::vector<double> lo, hi;

  // The controls' values on their steps (counted from min), within the range searched.
  std::vector<double> Snap(std::span<const double> x) const {
    std::vector<double> out(x.begin(), x.end());
    for (size_t i = 0; i < out.size(); ++i) {
      const Control& c = spec->controls[i];
      double v = std::clamp(out[i], lo[i], hi[i]);
      if (c.step) {
        const double eps = 1e-9 * *c.step;
        v = c.min + std::round((v - c.min) / *c.step) * *c.step;
        if (v < lo[i] - eps) v += *c.step;
        if (v > hi[i] + eps) v -= *c.step;
      }
      out[i] = v;
    }
    return out;
  }

  // The model's data set of these candidates: each its own unit of one row, so that window
  // and lag features read the set-point as held steady.
  Result<ml::Dataset> Rows(const std::vector<std::vector<double>>& xs) const {
    ml::ColumnData data;
    data.columns = columns;
    data.units.reserve(xs.size());
    for (size_t r = 0; r < xs.size(); ++r) {
      ml::UnitColumns u;
      u.unit = std::to_string(r);
      u.time = {0};
      for (size_t c = 0; c < columns.size(); ++c)
        u.columns[columns[c]] = {base[c]};
      for (size_t i = 0; i < control_column.size(); ++i)
        u.columns[columns[control_column[i]]] = {xs[r][i]};
      data.units.push_back(std::move(u));
    }
    return preprocessing.Apply(std::move(data), registered->features, nullptr);
  }

  double PredictionPart(double p) const {
    switch (spec->objective.goal) {
      case Objective::Goal::kMinimize:
        return p;
      case Objective::Goal::kMaximize:
        return -p;
      case Objective::Goal::kTarget:
        return (p - spec->objective.target) * (p - spec->objective.target);
    }
    return p;
  }

  static double Eval(const CompiledExpr& e, const Candidate& c) {
    std::vector<std::optional<double>> args;
    for (const Source& s : e.sources) {
      const double v = s.feature ? c.features[s.index] : c.inputs[s.index];
      args.push_back(std::isnan(v) ? std::nullopt : std::optional<double>(v));
    }
    return e.expr.Evaluate(args).value_or(kNaN);
  }

  // `snap`: the search's candidates keep to the steps and bounds; the current point is taken
  // as it is.
  Result<std::vector<Candidate>> Evaluate(const std::vector<std::vector<double>>& raw, bool predict,
                                          bool snap = true) {
    std::vector<std::vector<double>> xs;
    xs.reserve(raw.size());
    for (const std::vector<double>& x : raw)
      xs.push_back(snap ? Snap(x) : x);
    FH_ASSIGN_OR_RETURN(const ml::Dataset d, Rows(xs));
    std::vector<double> scores;
    if (predict) {
      FH_ASSIGN_OR_RETURN(scores, model->Predict(d));
      if (scores.size() != d.rows() * classes) {
        return Corruption("model {}: {} outputs for {} rows of {} classes", registered->label(),
                          scores.size(), d.rows(), classes);
      }
      evaluations += static_cast<int64_t>(d.rows());
    }
    std::vector<Candidate> out(xs.size());
    for (size_t r = 0; r < xs.size(); ++r) {
      Candidate& c = out[r];
      c.x = xs[r];
      c.inputs = base;
      for (size_t i = 0; i < control_column.size(); ++i)
        c.inputs[control_column[i]] = c.x[i];
      const std::span<const float> row = d.row(r);
      c.features.assign(row.begin(), row.end());
      for (const CompiledExpr& t : terms)
        c.terms.push_back(Eval(t, c));
      for (size_t k = 0; k < constraints.size(); ++k) {
        const double v = Eval(constraints[k], c);
        c.constraints.push_back(v);
        const Constraint& spec_c = spec->constraints[k];
        // Scaled by the bound, so that rows of different units weigh alike in a penalty.
        if (spec_c.min) {
          c.rows.push_back(
              std::isnan(v) ? 1 : (*spec_c.min - v) / std::max(1.0, std::abs(*spec_c.min)));
        }
        if (spec_c.max) {
          c.rows.push_back(
              std::isnan(v) ? 1 : (v - *spec_c.max) / std::max(1.0, std::abs(*spec_c.max)));
        }
      }
      for (const EnvelopeRow& e : envelope_rows) {
        const double v = c.features[e.feature];
        // A float's rounding at the very edge of the range is not extrapolation.
        const double slack = 1e-6;
        c.rows.push_back(std::isnan(v) ? 0 : (e.min - v) / e.scale - slack);
        c.rows.push_back(std::isnan(v) ? 0 : (v - e.max) / e.scale - slack);
      }
      c.violation = 0;
      for (double v : c.rows)
        if (v > kFeasibleTolerance) c.violation += v;
      if (!predict) continue;
      c.predicted = true;
      const double* s = scores.data() + r * classes;
      if (classes == 1) {
        c.prediction = s[0];
      } else if (target_class) {
        c.prediction = s[*target_class];
      } else {
        c.prediction = 1 - s[normal_class.value_or(0)];
      }
      c.objective = spec->objective.weight * PredictionPart(c.prediction);
      for (size_t t = 0; t < terms.size(); ++t) {
        const Term& term = spec->terms[t];
        if (std::isnan(c.terms[t])) {
          c.violation += 1;  // a term that cannot be computed there: not a candidate
          continue;
        }
        c.objective += term.weight * (term.maximize ? -c.terms[t] : c.terms[t]);
      }
      if (c.violation == 0) {
        if (!best || c.objective < best->objective) best = c;
        if (std::isfinite(c.objective)) feasible.push_back(c);
      } else if (!least_violating || c.violation < least_violating->violation) {
        least_violating = c;
      }
    }
    return out;
  }
};

}  // namespace fh::optimize::setpoint::setpoint_detail
