// A controls spec (YAML, docs/optimize.md#set-points): which registered model to optimise over,
// which of its inputs a process engineer may move (the controls, with bounds, steps and spec or
// SPC limits), where the other inputs' values come from (the context: given, or an equipment's
// latest values in the hub), what to minimise (the model's predicted risk, plus weighted terms
// such as energy or cycle time) and which constraints must hold (a throughput floor). Parsed
// with file:line:column in every error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace fh::optimize::setpoint {

struct Control {
  std::string name;  // a column the model reads (an input, as stored)
  double min = 0, max = 0;
  // Spec or SPC limits: further bounds, which the search keeps to as well (the tighter win);
  // reported beside the bounds.
  std::optional<double> lower_limit, upper_limit;
  std::optional<double> step;     // the set-point moves in these steps from min (a dial's)
  bool integer = false;           // whole numbers only (step 1)
  std::optional<double> current;  // where the process runs now; default: the context's value
  double lower() const;           // max(min, lower_limit)
  double upper() const;           // min(max, upper_limit)
};

// What the prediction contributes to the objective.
struct Objective {
  enum class Goal { kMinimize, kMaximize, kTarget };
  Goal goal = Goal::kMinimize;
  // Multi-class: the class whose probability counts; empty: every class but the normal one
  // (P(any failure)).
  std::string cls;
  double target = 0;  // kTarget (regression): (prediction - target)^2 is minimised
  double weight = 1;
};

// A further weighted term of the objective: an expression of the model's inputs (columns)
// and features (energy, cycle time, throughput), minimised or maximised.
struct Term {
  std::string name;
  std::string expr;
  bool maximize = false;
  double weight = 1;
};

// An expression of the inputs and features kept within [min, max] (either may be absent).
struct Constraint {
  std::string name;
  std::string expr;
  std::optional<double> min, max;
};

struct SearchSettings {
  enum class Method { kAuto, kDerivativeFree, kGradient };
  Method method = Method::kAuto;
  int evaluations = 3000;  // the model's predictions at most (rows)
  uint64_t seed = 42;
  // Points whose objective is within this of the best are as good: the one nearest the
  // current set-points is recommended (0: exact ties only, common on a tree's plateaus).
  double tolerance = 0;
};

struct ControlsSpec {
  std::string display_name;  // the file, for messages
  std::string model;         // NAME or NAME@VERSION
  std::vector<Control> controls;
  // The other inputs' values: given here (they win), and/or the latest values of the
  // tags of an equipment (an asset path) or of the model's own tags.
  std::map<std::string, double> context;
  std::string equipment;
  Objective objective;
  std::vector<Term> terms;
  std::vector<Constraint> constraints;
  SearchSettings search;
};

// YAML (JSON is YAML too: the API's bodies go through here). `display_name` prefixes errors:
// "controls.yaml:7:12: controls[1] (torque_Nm): min 60 is above max 40".
Result<ControlsSpec> ParseControlsSpec(const std::string& text, std::string_view display_name);
Result<ControlsSpec> LoadControlsSpec(const std::string& path);

}  // namespace fh::optimize::setpoint
