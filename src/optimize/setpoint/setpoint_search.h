// The set-point search: the controls of a ControlsSpec moved within their bounds (and the
// training data's envelope) so that the model's predicted risk, plus the spec's weighted terms,
// is lowest while its constraints hold. Every candidate is scored by the registered model
// itself, its features computed from the inputs exactly as in training. NLopt does the search
// (this folder only): a derivative-free global method for tree ensembles and stepped controls,
// gradients for smooth models (setpoint_stages.cpp says why). Deterministic: same model, spec,
// context and seed, same answer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model_registry.h"
#include "optimize/setpoint/controls_spec.h"

namespace fh::optimize::setpoint {

struct SearchOptions {
  // Let the controls (and the features they make) go beyond the training data's range, and
  // search with inputs held outside it: the result then flags every such feature.
  bool allow_extrapolation = false;
};

struct TermValue {
  std::string name;
  double value = 0;
  bool maximize = false;
  double weight = 1;
};

struct ConstraintCheck {
  std::string name;
  double value = 0;  // NaN: the expression was null there
  std::optional<double> min, max;
  bool holds = false;
};

// A feature of a point beyond what the model was trained on.
struct OutsideFeature {
  std::string feature;
  double value = 0;
  double min = 0, max = 0;  // the training data's range
};

struct PointReport {
  std::vector<double> controls;  // one per control of the spec, in order
  std::vector<double> features;  // the model's inputs there, in its order
  double prediction = 0;         // the risk (a probability) or the regression's value
  double objective = 0;          // weight x the prediction's part + the weighted terms
  std::vector<TermValue> terms;
  std::vector<ConstraintCheck> constraints;
  bool feasible = false;  // every constraint holds (and, unless extrapolating, the envelope)
  // How far from the training data: the features beyond its range, those within it but
  // beyond its 1st to 99th percentiles, and the Euclidean distance in standardised units to
  // the nearest of its stored sample rows (absent for models trained without an envelope).
  std::vector<OutsideFeature> outside;
  std::vector<std::string> tails;
  std::optional<double> nn_distance;
  std::vector<double> contributions;  // per feature, to the margin (Model::Contributions)
};

// A feature whose contribution changed most between the current point and the
// recommendation: what moves the risk.
struct Driver {
  std::string feature;
  double current_value = 0, recommended_value = 0;
  double current_contribution = 0, recommended_contribution = 0;
  double change() const { return recommended_contribution - current_contribution; }
};

struct SetpointResult {
  std::string model;       // name@version
  std::string task;        // binary, multiclass, regression
  std::string prediction;  // what `prediction` is: "P(label/machine_failure)", ...
  std::string goal;        // minimize, maximize, target
  std::vector<Control> controls;
  // Per control: the range searched, its bounds and limits narrowed to the training data's
  // range (unless extrapolation is allowed).
  std::vector<std::pair<double, double>> searched;
  std::map<std::string, double> context;  // the inputs held fixed
  std::optional<PointReport> current;     // when every control has a current value
  PointReport recommended;
  std::vector<Driver> drivers;  // largest change first (at most 8)
  // The training data's envelope: whether the model has one, and its own rows' typical
  // nearest-neighbour distance (median, 95th and 99th percentiles) to compare with.
  bool envelope = false;
  double nn_median = 0, nn_p95 = 0, nn_p99 = 0;
  bool extrapolation_allowed = false;
  std::string method;       // derivative-free or gradient
  std::string algorithms;   // what ran: "sample 600 + NLOPT_GN_DIRECT_L + NLOPT_LN_COBYLA"
  int64_t evaluations = 0;  // rows the model predicted
  double seconds = 0;
  std::vector<std::string> notes;  // what a reader must know (no envelope, a sparse region)
};

// `context`: a value for every column the model reads that is not a control, and, for
// controls, where they run now (a control's `current` in the spec wins). `model.data` must
// hold the model's bytes. InvalidArgument for a spec that does not fit the model (an unknown
// control, a missing input, bounds beyond the training data without allow_extrapolation);
// FailedPrecondition when no point within the bounds meets the constraints.
Result<SetpointResult> OptimizeSetpoints(const ml::RegisteredModel& model, const ControlsSpec& spec,
                                         const std::map<std::string, double>& context,
                                         const SearchOptions& options = {});

}  // namespace fh::optimize::setpoint
