#include "optimize/setpoint/setpoint_search.h"

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
#include "optimize/setpoint/setpoint_stages.h"

namespace fh::optimize::setpoint {
// A named namespace, not an anonymous one: src/optimize is built as a unity build shared with
// other folders' files.
namespace setpoint_detail {

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
  FH_ASSIGN_OR_RETURN(ev.preprocessing, ml::Preprocessing::FromJson(model.preprocessing));
  if (ev.preprocessing.columns && ev.preprocessing.columns->regimes() > 0) {
    // A candidate is one row: it has no history to change regime in, and its regime would
    // come from settings the controls may move.
    return InvalidArgument(
        "{}: {} learns operating regimes (preprocess: regimes); a set-point search over such a "
        "model is not supported: train one per regime, or without regimes",
        where, model.label());
  }
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

  if (d > 0 && !gradient) {
    FH_RETURN_IF_ERROR(SearchPiecewiseConstant(ev, space, sampled, budget, spec.search.seed, ran));
  } else if (d > 0) {
    FH_RETURN_IF_ERROR(SearchSmooth(ev, space, sampled, current_x, budget, ran));
  }
  out.algorithms = Join(ran);

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
