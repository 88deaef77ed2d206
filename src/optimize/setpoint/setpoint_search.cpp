#include "optimize/setpoint/setpoint_search.h"

#include <nlopt.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "ml/column_data.h"
#include "ml/dataset_builder.h"
#include "ml/split.h"
#include "ml/training_envelope.h"
#include "ml/training_spec.h"
#include "optimize/setpoint/setpoint_evaluator.h"

namespace fh::optimize::setpoint {
// A named namespace, not an anonymous one: src/optimize is built as a unity build shared with
// other folders' files.
namespace setpoint_detail {

// The search vector holds the free controls only (a control whose bounds meet is fixed).
struct Space {
  std::vector<size_t> free;          // indices of the spec's controls
  std::vector<double> fixed;         // every control: its value when fixed (else its lower bound)
  std::vector<double> lower, upper;  // of the free ones

  std::vector<double> Full(const double* z) const {
    std::vector<double> x = fixed;
    for (size_t j = 0; j < free.size(); ++j)
      x[free[j]] = z[j];
    return x;
  }
};

// A seeded Halton sequence with a random shift (Cranley-Patterson rotation): points that
// cover the box evenly in any number of controls, the same for the same seed.
std::vector<std::vector<double>> SpaceFilling(const Space& space, size_t n, uint64_t seed) {
  static constexpr int kPrimes[] = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31,
                                    37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79};
  ml::SplitMix64 rng(seed);
  std::vector<double> shift(space.free.size());
  for (double& s : shift)
    s = static_cast<double>(rng.Below(1u << 30)) / static_cast<double>(1u << 30);
  std::vector<std::vector<double>> out;
  for (size_t k = 1; k <= n; ++k) {
    std::vector<double> z(space.free.size());
    for (size_t j = 0; j < z.size(); ++j) {
      const int p = kPrimes[j % std::size(kPrimes)];
      double f = 1, h = 0;
      for (size_t i = k; i > 0; i /= static_cast<size_t>(p)) {
        f /= p;
        h += f * static_cast<double>(i % static_cast<size_t>(p));
      }
      const double u = std::fmod(h + shift[j], 1.0);
      z[j] = space.lower[j] + u * (space.upper[j] - space.lower[j]);
    }
    out.push_back(space.Full(z.data()));
  }
  return out;
}

// What NLopt's callbacks see.
struct Call {
  Evaluator* ev = nullptr;
  const Space* space = nullptr;
  nlopt_opt opt = nullptr;
  Status error = Status::Ok();
  // Bound-only methods (DIRECT): constraints as a penalty above every feasible value.
  bool penalised = false;
  double penalty = 0;
  int64_t budget = 0;  // the evaluator's count at which to stop
};

double Penalised(const Call& call, const Candidate& c) {
  if (!call.penalised || c.violation == 0) return c.objective;
  return call.penalty * (1 + c.violation);
}

// The relative step of central differences: the model reads float32 inputs (about 7 digits),
// so the step must move them well beyond their rounding.
constexpr double kDiffStep = 1e-4;

// The point z as full inputs and, for a gradient, its 2n central-difference neighbours
// (+h, −h along each free control): one batch, one Predict call.
std::vector<std::vector<double>> PointAndNeighbours(const Space& space, const double* z, unsigned n,
                                                    bool with_gradient) {
  std::vector<std::vector<double>> xs{space.Full(z)};
  if (!with_gradient) return xs;
  for (unsigned j = 0; j < n; ++j) {
    const double h = kDiffStep * (space.upper[j] - space.lower[j]);
    std::vector<double> zp(z, z + n), zm(z, z + n);
    zp[j] += h;
    zm[j] -= h;
    xs.push_back(space.Full(zp.data()));
    xs.push_back(space.Full(zm.data()));
  }
  return xs;
}

double ObjectiveFn(unsigned n, const double* z, double* grad, void* data) {
  Call& call = *static_cast<Call*>(data);
  if (call.ev->evaluations >= call.budget) {
    nlopt_force_stop(call.opt);
  }
  const std::vector<std::vector<double>> xs =
      PointAndNeighbours(*call.space, z, n, grad != nullptr);
  // One Predict call for the point and its 2n neighbours.
  Result<std::vector<Candidate>> r = call.ev->Evaluate(xs, true);
  if (!r.ok()) {
    call.error = r.status();
    nlopt_force_stop(call.opt);
    return kInf;
  }
  if (grad) {
    for (unsigned j = 0; j < n; ++j) {
      // Snapping clamps at the bounds: divide by the step actually taken.
      const size_t c = call.space->free[j];
      const double dx = (*r)[1 + 2 * j].x[c] - (*r)[2 + 2 * j].x[c];
      grad[j] = dx > 0 ? ((*r)[1 + 2 * j].objective - (*r)[2 + 2 * j].objective) / dx : 0;
    }
  }
  const double f = Penalised(call, (*r)[0]);
  return std::isnan(f) ? kInf : f;
}

void ConstraintsFn(unsigned m, double* result, unsigned n, const double* z, double* grad,
                   void* data) {
  Call& call = *static_cast<Call*>(data);
  const std::vector<std::vector<double>> xs =
      PointAndNeighbours(*call.space, z, n, grad != nullptr);
  // Constraints read the inputs and features only: no prediction, no evaluation counted.
  Result<std::vector<Candidate>> r = call.ev->Evaluate(xs, false);
  if (!r.ok()) {
    call.error = r.status();
    nlopt_force_stop(call.opt);
    std::fill(result, result + m, 0.0);
    return;
  }
  for (unsigned i = 0; i < m; ++i)
    result[i] = (*r)[0].rows[i];
  if (grad) {
    for (unsigned j = 0; j < n; ++j) {
      const size_t c = call.space->free[j];
      const double dx = (*r)[1 + 2 * j].x[c] - (*r)[2 + 2 * j].x[c];
      for (unsigned i = 0; i < m; ++i) {
        grad[i * n + j] = dx > 0 ? ((*r)[1 + 2 * j].rows[i] - (*r)[2 + 2 * j].rows[i]) / dx : 0;
      }
    }
  }
}

// Runs one NLopt algorithm from `start` (the free controls) for at most `max_rows` more
// predicted rows. Returns what it stopped with, for the report.
Result<std::string> RunNlopt(nlopt_algorithm algorithm, Evaluator& ev, const Space& space,
                             std::vector<double> start, int64_t max_rows, bool penalised,
                             double penalty) {
  const unsigned n = static_cast<unsigned>(space.free.size());
  const int64_t rows_per_call =
      (algorithm == NLOPT_LD_SLSQP || algorithm == NLOPT_LD_MMA) ? 2 * n + 1 : 1;
  if (max_rows < rows_per_call * 2) return std::string("no budget left");
  nlopt_opt opt = nlopt_create(algorithm, n);
  if (!opt) return Internal("NLopt could not create {}", nlopt_algorithm_name(algorithm));
  Call call{&ev, &space, opt, Status::Ok(), penalised, penalty, ev.evaluations + max_rows};
  nlopt_set_lower_bounds(opt, space.lower.data());
  nlopt_set_upper_bounds(opt, space.upper.data());
  nlopt_set_min_objective(opt, ObjectiveFn, &call);
  const size_t m = ev.constraints.size() == 0 && ev.envelope_rows.empty() ? 0 : [&] {
    size_t rows = ev.envelope_rows.size() * 2;
    for (const Constraint& c : ev.spec->constraints)
      rows += (c.min ? 1 : 0) + (c.max ? 1 : 0);
    return rows;
  }();
  if (!penalised && m > 0) {
    const std::vector<double> tol(m, 1e-9);
    nlopt_add_inequality_mconstraint(opt, static_cast<unsigned>(m), ConstraintsFn, &call,
                                     tol.data());
  }
  nlopt_set_maxeval(opt, static_cast<int>(max_rows / rows_per_call));
  // DIRECT runs its budget: on a tree's plateaus successive values are often equal, which a
  // tolerance on the objective would take for convergence.
  if (algorithm != NLOPT_GN_DIRECT_L) {
    nlopt_set_xtol_rel(opt, 1e-7);
    nlopt_set_ftol_abs(opt, 1e-12);
  }
  if (algorithm == NLOPT_LN_COBYLA) {
    // A tenth of each range: big enough to step off a tree's plateau.
    std::vector<double> dx(n);
    for (unsigned j = 0; j < n; ++j)
      dx[j] = 0.1 * (space.upper[j] - space.lower[j]);
    nlopt_set_initial_step(opt, dx.data());
  }
  for (unsigned j = 0; j < n; ++j)
    start[j] = std::clamp(start[j], space.lower[j], space.upper[j]);
  double f = 0;
  const nlopt_result result = nlopt_optimize(opt, start.data(), &f);
  nlopt_destroy(opt);
  if (!call.error.ok()) return call.error;
  return std::string(nlopt_result_to_string(result));
}

std::vector<double> FreeOf(const Space& space, const std::vector<double>& x) {
  std::vector<double> z;
  for (size_t j : space.free)
    z.push_back(x[j]);
  return z;
}

bool DependsOn(const ml::FeatureSpec& f, const std::set<std::string>& controls) {
  switch (f.kind) {
    case ml::FeatureSpec::Kind::kColumn:
    case ml::FeatureSpec::Kind::kWindow:
    case ml::FeatureSpec::Kind::kLag:
      return controls.count(f.column) > 0;
    case ml::FeatureSpec::Kind::kPosition:
      return false;
    case ml::FeatureSpec::Kind::kExpression: {
      Result<govern::Expression> e = govern::Expression::Compile(f.expr);
      if (!e.ok()) return false;
      for (const std::string& v : e->variables())
        if (controls.count(v)) return true;
      return false;
    }
  }
  return false;
}

std::vector<std::string> ColumnsRead(const std::vector<ml::FeatureSpec>& features) {
  std::set<std::string> out;
  for (const ml::FeatureSpec& f : features) {
    if (f.kind == ml::FeatureSpec::Kind::kExpression) {
      Result<govern::Expression> e = govern::Expression::Compile(f.expr);
      if (e.ok()) out.insert(e->variables().begin(), e->variables().end());
    } else if (f.kind != ml::FeatureSpec::Kind::kPosition) {
      out.insert(f.column);
    }
  }
  return {out.begin(), out.end()};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace setpoint_detail

using namespace setpoint_detail;

Result<SetpointResult> OptimizeSetpoints(const ml::RegisteredModel& model, const ControlsSpec& spec,
                                         const std::map<std::string, double>& context,
                                         const SearchOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::string& where = spec.display_name;
  if (model.task == ml::Task::kAnomaly) {
    return InvalidArgument(
        "{}: model: {} is an anomaly detector; set-points need a model that "
        "predicts a risk or a value",
        where, model.label());
  }
  SetpointResult out;
  out.model = model.label();
  out.task = std::string(ml::ToString(model.task));
  out.controls = spec.controls;
  out.extrapolation_allowed = options.allow_extrapolation;
  if (spec.controls.size() > 20) {
    return InvalidArgument(
        "{}: controls: {} of them; a search over more than 20 is not "
        "meaningful with the evaluations a model allows",
        where, spec.controls.size());
  }

  Evaluator ev;
  ev.registered = &model;
  ev.spec = &spec;
  FH_ASSIGN_OR_RETURN(ev.model, ml::LoadModel(model.kind, model.task, model.data));
  ev.columns = ColumnsRead(model.features);
  std::set<std::string> control_names;
  for (const Control& c : spec.controls) {
    const auto it = std::find(ev.columns.begin(), ev.columns.end(), c.name);
    if (it == ev.columns.end()) {
      return InvalidArgument("{}: controls: '{}' is not an input of {} (its inputs: {})", where,
                             c.name, model.label(), Join(ev.columns));
    }
    ev.control_column.push_back(static_cast<size_t>(it - ev.columns.begin()));
    control_names.insert(c.name);
  }
  std::vector<std::string> missing;
  for (const std::string& column : ev.columns) {
    const auto it = context.find(column);
    if (control_names.count(column)) {
      ev.base.push_back(kNaN);
      continue;
    }
    if (it == context.end() || std::isnan(it->second)) {
      missing.push_back(column);
      ev.base.push_back(kNaN);
      continue;
    }
    ev.base.push_back(it->second);
    out.context[column] = it->second;
  }
  if (!missing.empty()) {
    return InvalidArgument(
        "{}: context: no value for {} (an input of {} that is not a control): "
        "give it under context: values, or take the hub's latest values with "
        "context: equipment (--equipment)",
        where, Join(missing), model.label());
  }

  // What the prediction is.
  std::string label = "positive";
  if (Result<ml::TrainingSpec> ts = ml::ParseTrainingSpec(model.spec, model.label()); ts.ok()) {
    if (!ts->label.column.empty()) label = ts->label.column;
  }
  const Objective& objective = spec.objective;
  switch (objective.goal) {
    case Objective::Goal::kMinimize:
      out.goal = "minimize";
      break;
    case Objective::Goal::kMaximize:
      out.goal = "maximize";
      break;
    case Objective::Goal::kTarget:
      out.goal = "target";
      break;
  }
  if (model.task != ml::Task::kMulticlass && !objective.cls.empty()) {
    return InvalidArgument("{}: objective: class is for multi-class models; {} is {}", where,
                           model.label(), out.task);
  }
  if (model.task != ml::Task::kRegression && objective.goal == Objective::Goal::kTarget) {
    return InvalidArgument("{}: objective: target is for regression models; {} is {}", where,
                           model.label(), out.task);
  }
  if (model.task == ml::Task::kBinary) {
    out.prediction = fmt::format("P({})", label);
  } else if (model.task == ml::Task::kMulticlass) {
    ev.classes = model.classes.size();
    if (!objective.cls.empty()) {
      const auto it = std::find(model.classes.begin(), model.classes.end(), objective.cls);
      if (it == model.classes.end()) {
        return InvalidArgument("{}: objective: class: {} has no class '{}' (classes: {})", where,
                               model.label(), objective.cls, Join(model.classes));
      }
      ev.target_class = static_cast<size_t>(it - model.classes.begin());
      out.prediction = fmt::format("P({})", objective.cls);
    } else {
      const auto it = std::find(model.classes.begin(), model.classes.end(), model.normal_class);
      ev.normal_class =
          it == model.classes.end() ? 0 : static_cast<size_t>(it - model.classes.begin());
      out.prediction = fmt::format("P(not {})", model.normal_class);
    }
  } else {
    out.prediction = fmt::format("predicted {}", label);
  }

  // Terms and constraints read columns and features by name.
  auto compile = [&](const std::string& text, const std::string& what) -> Result<CompiledExpr> {
    CompiledExpr c;
    FH_ASSIGN_OR_RETURN(c.expr, govern::Expression::Compile(text));
    for (const std::string& v : c.expr.variables()) {
      const auto col = std::find(ev.columns.begin(), ev.columns.end(), v);
      if (col != ev.columns.end()) {
        c.sources.push_back({false, static_cast<size_t>(col - ev.columns.begin())});
        continue;
      }
      const auto f = std::find_if(model.features.begin(), model.features.end(),
                                  [&](const ml::FeatureSpec& fs) { return fs.name == v; });
      if (f == model.features.end()) {
        std::vector<std::string> names = ev.columns;
        for (const ml::FeatureSpec& fs : model.features)
          if (std::find(names.begin(), names.end(), fs.name) == names.end())
            names.push_back(fs.name);
        return InvalidArgument("{}: {}: '{}' is neither an input nor a feature of {} ({})", where,
                               what, v, model.label(), Join(names));
      }
      c.sources.push_back({true, static_cast<size_t>(f - model.features.begin())});
    }
    return c;
  };
  for (size_t i = 0; i < spec.terms.size(); ++i) {
    FH_ASSIGN_OR_RETURN(
        CompiledExpr c,
        compile(spec.terms[i].expr, fmt::format("terms[{}] ({})", i, spec.terms[i].name)));
    ev.terms.push_back(std::move(c));
  }
  for (size_t i = 0; i < spec.constraints.size(); ++i) {
    FH_ASSIGN_OR_RETURN(CompiledExpr c,
                        compile(spec.constraints[i].expr,
                                fmt::format("constraints[{}] ({})", i, spec.constraints[i].name)));
    ev.constraints.push_back(std::move(c));
  }

  // The training data's envelope.
  FH_ASSIGN_OR_RETURN(const std::optional<ml::TrainingEnvelope> envelope,
                      ml::EnvelopeFromReport(model.report));
  if (envelope && envelope->features.size() != model.features.size()) {
    return Corruption("model {}: its training data's envelope has {} features, the model {}",
                      model.label(), envelope->features.size(), model.features.size());
  }
  out.envelope = envelope.has_value();
  if (envelope) {
    out.nn_median = envelope->nn_median;
    out.nn_p95 = envelope->nn_p95;
    out.nn_p99 = envelope->nn_p99;
  } else {
    out.notes.push_back(fmt::format(
        "{} was trained before factoryhub kept what its training data covered: the search keeps "
        "to the spec's bounds only and cannot say how far the set-points lie from that data; "
        "train it again to have them checked",
        model.label()));
  }
  // The range searched: the bounds and limits, and, unless extrapolating, no further than the
  // training data went for a control the model reads as it is.
  for (const Control& c : spec.controls) {
    double lo = c.lower(), hi = c.upper();
    for (size_t f = 0; envelope && !options.allow_extrapolation && f < model.features.size(); ++f) {
      const ml::FeatureSpec& fs = model.features[f];
      if (fs.kind != ml::FeatureSpec::Kind::kColumn || fs.column != c.name) continue;
      const ml::FeatureRange& r = envelope->features[f];
      if (c.lower() > r.max || c.upper() < r.min) {
        return InvalidArgument(
            "{}: controls: {}: [{}, {}] lies beyond the training data of {} ({} to {}): the model "
            "has not seen such values, so its predictions there are guesses; bound it within that "
            "range, or pass --allow-extrapolation (API: allow_extrapolation) to search there "
            "anyway",
            where, c.name, c.lower(), c.upper(), model.label(), FormatG(r.min), FormatG(r.max));
      }
      if (r.min > lo || r.max < hi) {
        lo = std::max(lo, r.min);
        hi = std::min(hi, r.max);
        out.notes.push_back(fmt::format(
            "{}: searched within [{}, {}], the part of [{}, {}] the training data covers "
            "(--allow-extrapolation searches it all)",
            c.name, FormatG(lo), FormatG(hi), FormatG(c.lower()), FormatG(c.upper())));
      }
    }
    if (c.step) {
      // At least one step must fall within the range.
      const double first = c.min + std::ceil((lo - c.min) / *c.step - 1e-9) * *c.step;
      if (first > hi + 1e-9 * *c.step) {
        return InvalidArgument("{}: controls: {}: no step of {} from {} falls within [{}, {}]",
                               where, c.name, FormatG(*c.step), FormatG(c.min), FormatG(lo),
                               FormatG(hi));
      }
    }
    ev.lo.push_back(lo);
    ev.hi.push_back(hi);
    out.searched.emplace_back(lo, hi);
  }

  // The search space: free controls, fixed ones where their range is a point.
  Space space;
  for (size_t i = 0; i < spec.controls.size(); ++i) {
    space.fixed.push_back(ev.lo[i]);
    if (ev.hi[i] > ev.lo[i]) {
      space.free.push_back(i);
      space.lower.push_back(ev.lo[i]);
      space.upper.push_back(ev.hi[i]);
    }
  }

  // The current point: each control's `current`, else the context's value of its column.
  std::vector<double> current_x;
  for (const Control& c : spec.controls) {
    if (c.current) {
      current_x.push_back(*c.current);
    } else if (auto it = context.find(c.name); it != context.end() && !std::isnan(it->second)) {
      current_x.push_back(it->second);
    } else {
      break;
    }
  }
  if (current_x.size() != spec.controls.size()) {
    current_x.clear();
    out.notes.push_back("no current value for every control: the expected change is not reported");
  }

  // Features the controls move are kept within the training data's range (search
  // constraints); those they do not move are checked once, here.
  if (envelope) {
    FH_ASSIGN_OR_RETURN(std::vector<Candidate> probe,
                        ev.Evaluate({current_x.empty() ? space.fixed : current_x}, false, false));
    std::vector<std::string> outside;
    for (size_t f = 0; f < model.features.size(); ++f) {
      const ml::FeatureRange& r = envelope->features[f];
      if (DependsOn(model.features[f], control_names)) {
        if (!options.allow_extrapolation) ev.envelope_rows.push_back({f, r.min, r.max, r.std});
        continue;
      }
      const double v = probe[0].features[f];
      if (!std::isnan(v) && (v < r.min || v > r.max)) {
        outside.push_back(
            fmt::format("{} {} (trained on {} to {})", r.name, FormatG(v), r.min, r.max));
      }
    }
    if (!outside.empty() && !options.allow_extrapolation) {
      return InvalidArgument(
          "{}: context: {} lies outside the training data of {}: no set-point would be judged on "
          "data the model has seen; pass --allow-extrapolation (API: allow_extrapolation) to "
          "search anyway",
          where, Join(outside), model.label());
    }
    if (!outside.empty()) {
      out.notes.push_back(
          fmt::format("the context lies outside the training data: {}", Join(outside)));
    }
  }

  // Which method: the model's kind decides (see below), unless the spec says.
  const bool smooth = model.kind != "xgboost";
  const bool stepped = std::any_of(spec.controls.begin(), spec.controls.end(),
                                   [](const Control& c) { return c.step.has_value(); });
  bool gradient = smooth && !stepped;
  if (spec.search.method == SearchSettings::Method::kDerivativeFree) gradient = false;
  if (spec.search.method == SearchSettings::Method::kGradient) {
    if (!smooth || stepped) {
      return InvalidArgument(
          "{}: search: method: gradient needs a smooth model without steps; {} "
          "is {}{}: use derivative-free (or auto)",
          where, model.label(), model.kind, stepped ? " and a control has steps" : "");
    }
    gradient = true;
  }
  out.method = gradient ? "gradient" : "derivative-free";
  const int64_t budget = spec.search.evaluations;
  const size_t d = space.free.size();
  std::vector<std::string> ran;

  // The current point first: it is a candidate like any other.
  std::vector<std::vector<double>> initial;
  if (!current_x.empty()) initial.push_back(current_x);
  if (d > 0) {
    // One batch over the whole box: one Predict call for all of it, and good starts.
    const size_t n = static_cast<size_t>(std::clamp<int64_t>(
        budget / 4, 1, static_cast<int64_t>(gradient ? 50 : 100) * static_cast<int64_t>(d)));
    for (std::vector<double>& x : SpaceFilling(space, n, spec.search.seed))
      initial.push_back(std::move(x));
    ran.push_back(fmt::format("sample {}", n));
  } else {
    initial.push_back(space.fixed);
  }
  FH_ASSIGN_OR_RETURN(std::vector<Candidate> sampled, ev.Evaluate(initial, true));
  std::string stopped;

  if (d > 0 && !gradient) {
    // Tree ensembles are piecewise constant: the gradient is zero almost everywhere and
    // undefined at the splits, so a gradient method stalls where it starts. Four stages, each
    // deterministic:
    // 1. the space-filling sample above, one batch: the box's coarse picture;
    // 2. DIRECT-L (Gablonsky and Kelley's locally biased DIRECT, NLOPT_GN_DIRECT_L), two fifths
    //    of what is left: divides the box systematically towards its best regions, needs no
    //    gradient and no random numbers, and suits the few controls a set-point problem has. It
    //    takes bounds only, so constraints and the training data's range enter as a penalty
    //    above every feasible value. (ISRES takes constraints, but is stochastic and needs far
    //    more evaluations for the same precision.)
    // 3. batches around the best point, then lines through it (below);
    // 4. COBYLA (NLOPT_LN_COBYLA) with the constraints as such, which lands exactly on an
    //    active constraint that the penalty, the boxes and the lines approach only to their
    //    resolution.
    double worst = 1;
    for (const Candidate& c : sampled)
      if (std::isfinite(c.objective)) worst = std::max(worst, std::abs(c.objective));
    const int64_t direct_rows = (budget - ev.evaluations) * 2 / 5;
    std::vector<double> mid(d);
    for (size_t j = 0; j < d; ++j)
      mid[j] = (space.lower[j] + space.upper[j]) / 2;
    FH_ASSIGN_OR_RETURN(
        stopped, RunNlopt(NLOPT_GN_DIRECT_L, ev, space, mid, direct_rows, true, 10 * worst + 1e3));
    ran.push_back(fmt::format("NLOPT_GN_DIRECT_L ({})", stopped));
    // Then batches around the best point (Luus and Jaakola's shrinking boxes): 64 points of the
    // seeded sequence in a box a quarter of the range wide, one Predict call each; the box
    // follows every improvement and shrinks when a batch brings none. A tree ensemble's lowest
    // risk often sits in a pocket a few percent of the range across, which this finds near
    // DIRECT's best; and each control in turn over a fine line of values (a tree's splits are
    // thresholds on single features, which a line crosses). The boxes run until the lines'
    // and COBYLA's shares are left.
    const int64_t reserve = std::min<int64_t>(budget / 10, 200);
    int sweeps = 0, boxes = 0;
    double half = 0.125;
    uint64_t box_seed = spec.search.seed;
    while (ev.best && budget - ev.evaluations - reserve - 64 * static_cast<int64_t>(d) >= 64) {
      const double before = ev.best->objective;
      Space box = space;
      for (size_t j = 0; j < d; ++j) {
        const double w = half * (space.upper[j] - space.lower[j]);
        const double at = ev.best->x[space.free[j]];
        box.lower[j] = std::max(space.lower[j], at - w);
        box.upper[j] = std::min(space.upper[j], at + w);
      }
      box.fixed = ev.best->x;
      FH_RETURN_IF_ERROR(ev.Evaluate(SpaceFilling(box, 64, ++box_seed), true).status());
      ++boxes;
      // A box that brings nothing shrinks; a tiny one starts again wide, with new points.
      if (!(ev.best->objective < before)) half *= 0.7;
      if (half < 0.01) half = 0.25;
    }
    for (int round = 0; round < 4 && ev.best; ++round) {
      const double before = ev.best->objective;
      for (size_t j = 0; j < d; ++j) {
        if (budget - ev.evaluations - reserve < 64) break;
        const std::vector<double> at = ev.best->x;
        const size_t c = space.free[j];
        const double width = space.upper[j] - space.lower[j];
        std::vector<std::vector<double>> line;
        for (int k = 0; k < 48; ++k) {
          line.push_back(at);
          line.back()[c] = space.lower[j] + width * k / 47.0;
        }
        for (int k = -8; k <= 8; ++k) {
          if (k == 0) continue;
          line.push_back(at);
          line.back()[c] = at[c] + width * 0.05 * k / 8.0;
        }
        FH_RETURN_IF_ERROR(ev.Evaluate(line, true).status());
        ++sweeps;
      }
      if (!(ev.best->objective < before)) break;
    }
    if (boxes > 0) ran.push_back(fmt::format("{} boxes", boxes));
    if (sweeps > 0) ran.push_back(fmt::format("{} line sweeps", sweeps));
    if (ev.best || ev.least_violating) {
      const Candidate& from = ev.best ? *ev.best : *ev.least_violating;
      FH_ASSIGN_OR_RETURN(stopped, RunNlopt(NLOPT_LN_COBYLA, ev, space, FreeOf(space, from.x),
                                            budget - ev.evaluations, false, 0));
      ran.push_back("NLOPT_LN_COBYLA");
    }
  } else if (d > 0) {
    // Smooth models (linear, logistic, networks): SLSQP, sequential quadratic programming with
    // the constraints linearised, converges in tens of evaluations from a good start;
    // gradients by central differences, a point and its 2n neighbours in one Predict call.
    // Several starts (the current point, the sample's best) guard against a network's local
    // minima.
    std::vector<const Candidate*> order;
    for (const Candidate& c : sampled)
      if (std::isfinite(c.objective)) order.push_back(&c);
    std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
      return std::make_pair(a->violation, a->objective) <
             std::make_pair(b->violation, b->objective);
    });
    std::vector<std::vector<double>> starts;
    if (!current_x.empty()) starts.push_back(FreeOf(space, ev.Snap(current_x)));
    for (const Candidate* c : order) {
      if (starts.size() >= 4) break;
      starts.push_back(FreeOf(space, c->x));
    }
    int runs = 0;
    for (size_t s = 0; s < starts.size(); ++s) {
      const int64_t left = budget - ev.evaluations;
      const int64_t share = left / static_cast<int64_t>(starts.size() - s);
      FH_ASSIGN_OR_RETURN(std::string st,
                          RunNlopt(NLOPT_LD_SLSQP, ev, space, starts[s], share, false, 0));
      if (st != "no budget left") {
        stopped = st;
        ++runs;
      }
    }
    ran.push_back(fmt::format("NLOPT_LD_SLSQP x {} starts", runs));
  }
  out.algorithms = Join(ran);
  (void)stopped;

  // A tree's risk is flat over whole regions, and a move brings cost and risk of its own:
  // among the points within the tolerance of the best (exact ties by default), the one
  // nearest the current set-points (in fractions of each control's range) is recommended.
  if (ev.best && !current_x.empty()) {
    const double limit = ev.best->objective + spec.search.tolerance;
    auto distance = [&](const Candidate& c) {
      double sum = 0;
      for (size_t i = 0; i < c.x.size(); ++i) {
        const double width = ev.hi[i] > ev.lo[i] ? ev.hi[i] - ev.lo[i] : 1;
        sum += (c.x[i] - current_x[i]) * (c.x[i] - current_x[i]) / (width * width);
      }
      return sum;
    };
    const Candidate* nearest = &*ev.best;
    double nearest_distance = distance(*nearest);
    for (const Candidate& c : ev.feasible) {
      if (c.objective > limit) continue;
      const double dc = distance(c);
      if (dc < nearest_distance) {
        nearest = &c;
        nearest_distance = dc;
      }
    }
    if (nearest != &*ev.best) ev.best = *nearest;
  }

  if (!ev.best) {
    std::string why = "no point was evaluated";
    if (ev.least_violating) {
      std::vector<std::string> broken;
      const Candidate& c = *ev.least_violating;
      for (size_t k = 0; k < spec.constraints.size(); ++k) {
        const Constraint& sc = spec.constraints[k];
        const double v = c.constraints[k];
        if (std::isnan(v) || (sc.min && v < *sc.min) || (sc.max && v > *sc.max)) {
          broken.push_back(fmt::format("{} = {}", sc.name, FormatG(v)));
        }
      }
      for (const EnvelopeRow& e : ev.envelope_rows) {
        const double v = c.features[e.feature];
        if (v < e.min || v > e.max) {
          broken.push_back(fmt::format("{} = {} (trained on {} to {})",
                                       model.features[e.feature].name, FormatG(v), e.min, e.max));
        }
      }
      why = fmt::format("the closest point found still has {}", Join(broken));
    }
    return FailedPrecondition(
        "{}: no set-points within the controls' bounds meet the constraints{} "
        "({} evaluations; {}): widen the bounds or relax a constraint",
        where, ev.envelope_rows.empty() ? "" : " and the training data's range", ev.evaluations,
        why);
  }

  // The report: both points again, with their contributions, in one batch.
  std::vector<std::vector<double>> points{ev.best->x};
  if (!current_x.empty()) points.push_back(current_x);
  FH_ASSIGN_OR_RETURN(const ml::Dataset rows, ev.Rows(points));
  FH_ASSIGN_OR_RETURN(const std::vector<double> contributions, ev.model->Contributions(rows));
  const size_t width = rows.cols() + 1;
  auto report = [&](const Candidate& c, size_t row) {
    PointReport p;
    p.controls = c.x;
    p.features = c.features;
    p.prediction = c.prediction;
    p.objective = c.objective;
    for (size_t t = 0; t < spec.terms.size(); ++t)
      p.terms.push_back(
          {spec.terms[t].name, c.terms[t], spec.terms[t].maximize, spec.terms[t].weight});
    p.feasible = true;
    for (size_t k = 0; k < spec.constraints.size(); ++k) {
      const Constraint& sc = spec.constraints[k];
      const double v = c.constraints[k];
      const double tol = kFeasibleTolerance * std::max(1.0, std::abs(v));
      const bool holds =
          !std::isnan(v) && (!sc.min || v >= *sc.min - tol) && (!sc.max || v <= *sc.max + tol);
      p.constraints.push_back({sc.name, v, sc.min, sc.max, holds});
      p.feasible = p.feasible && holds;
    }
    if (envelope) {
      for (size_t f = 0; f < c.features.size(); ++f) {
        const ml::FeatureRange& r = envelope->features[f];
        const double v = c.features[f];
        if (std::isnan(v)) continue;
        const double slack = 1e-6 * std::max(1.0, r.max - r.min);
        if (v < r.min - slack || v > r.max + slack) {
          p.outside.push_back({r.name, v, r.min, r.max});
        } else if (v < r.p01 || v > r.p99) {
          p.tails.push_back(r.name);
        }
      }
      p.nn_distance = envelope->NearestDistance(c.features);
    }
    p.contributions.assign(
        contributions.begin() + static_cast<ptrdiff_t>(row * width),
        contributions.begin() + static_cast<ptrdiff_t>(row * width + rows.cols()));
    return p;
  };
  out.recommended = report(*ev.best, 0);
  if (!current_x.empty()) {
    FH_ASSIGN_OR_RETURN(std::vector<Candidate> now, ev.Evaluate({current_x}, true, false));
    out.current = report(now[0], 1);
    // Where the process runs now may already be the best there is.
    if (out.current->feasible && out.current->outside.empty() &&
        out.current->objective <= out.recommended.objective) {
      out.notes.push_back("the current set-points are already as good as any found");
    } else if (out.current->feasible && out.current->objective - out.recommended.objective <
                                            0.02 * std::abs(out.current->objective)) {
      out.notes.push_back(fmt::format(
          "the expected gain is small ({:.2g}, under 2% of the current objective): a search "
          "tolerance of that size (search: tolerance) keeps the current set-points instead",
          out.current->objective - out.recommended.objective));
    }
    std::vector<size_t> order(rows.cols());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::abs(out.recommended.contributions[a] - out.current->contributions[a]) >
             std::abs(out.recommended.contributions[b] - out.current->contributions[b]);
    });
    for (size_t i = 0; i < std::min<size_t>(8, order.size()); ++i) {
      const size_t f = order[i];
      Driver dr{rows.features[f], out.current->features[f], out.recommended.features[f],
                out.current->contributions[f], out.recommended.contributions[f]};
      if (dr.change() == 0) break;
      out.drivers.push_back(std::move(dr));
    }
  }
  if (out.recommended.nn_distance && *out.recommended.nn_distance > out.nn_p99) {
    out.notes.push_back(fmt::format(
        "the recommendation lies farther from the training data (nearest-neighbour distance "
        "{:.2f}) "
        "than 99% of its own rows do ({:.2f}): the model saw few rows like it; check it before use",
        *out.recommended.nn_distance, out.nn_p99));
  }
  if (!out.recommended.outside.empty()) {
    std::vector<std::string> names;
    for (const OutsideFeature& o : out.recommended.outside)
      names.push_back(o.feature);
    out.notes.push_back(
        fmt::format("extrapolated: {} beyond the training data's range", Join(names)));
  }
  out.evaluations = ev.evaluations;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace fh::optimize::setpoint
