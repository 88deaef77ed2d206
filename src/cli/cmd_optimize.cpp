// factoryhub optimize --hub DIR --model NAME[@VERSION] --controls SPEC.yaml [--equipment PATH]
// [--row N] [--allow-extrapolation] [--json]: set-points that minimise a registered model's
// predicted risk (plus the spec's weighted terms) within the controls' bounds, the spec's
// constraints and the training data (docs/optimize.md#set-points).
#include <cmath>

#include "cli/command.h"
#include "cli/output.h"
#include "optimize/setpoint/setpoint_run.h"

namespace fh::cli {
namespace {

namespace sp = optimize::setpoint;

struct OptimizeCli {
  std::string hub;
  std::string model;
  std::string controls;
  std::string equipment;
  std::optional<int64_t> row;
  bool allow_extrapolation = false;
  bool json = false;
};

std::string Num(double v) {
  if (!std::isfinite(v)) return "-";
  return FormatMeasurement(v);
}

std::string Signed(double v) {
  if (!std::isfinite(v)) return "-";
  return (v > 0 ? "+" : "") + FormatMeasurement(v);
}

std::string Bound(const std::optional<double>& min, const std::optional<double>& max) {
  if (min && max) return fmt::format("{} .. {}", Num(*min), Num(*max));
  return min ? ">= " + Num(*min) : "<= " + Num(*max);
}

void PrintResult(const sp::RunResult& run) {
  const sp::SetpointResult& r = run.result;
  std::string source;
  if (run.source.kind == "equipment") source = "latest values of " + run.source.detail;
  if (run.source.kind == "latest") source = "latest values of " + run.source.detail;
  if (run.source.kind == "row") source = run.source.detail;
  if (run.source.kind == "spec") source = "the spec's values";
  fmt::print("{}: {} {}; inputs held at the {}\n", r.model, r.goal, r.prediction, source);

  Table controls({{"control"},
                  {"bounds"},
                  {"searched"},
                  {"now", true},
                  {"recommended", true},
                  {"change", true}});
  for (size_t i = 0; i < r.controls.size(); ++i) {
    const sp::Control& c = r.controls[i];
    std::string bounds = fmt::format("{} .. {}", Num(c.min), Num(c.max));
    if (c.lower_limit || c.upper_limit) {
      bounds += fmt::format(" (limits {} .. {})", c.lower_limit ? Num(*c.lower_limit) : "",
                            c.upper_limit ? Num(*c.upper_limit) : "");
    }
    if (c.step) bounds += fmt::format(", step {}", Num(*c.step));
    const auto [lo, hi] = r.searched[i];
    const std::string searched =
        lo == c.lower() && hi == c.upper() ? "all" : fmt::format("{} .. {}", Num(lo), Num(hi));
    controls.AddRow({c.name, bounds, searched, r.current ? Num(r.current->controls[i]) : "-",
                     Num(r.recommended.controls[i]),
                     r.current ? Signed(r.recommended.controls[i] - r.current->controls[i]) : "-"});
  }
  controls.Print();
  fmt::print("\n");
  // Four significant digits: a model's prediction is no more precise than that.
  if (r.current) {
    fmt::print("{}: {:.4g} now, {:.4g} recommended ({:+.4g} expected)\n", r.prediction,
               r.current->prediction, r.recommended.prediction,
               r.recommended.prediction - r.current->prediction);
  } else {
    fmt::print("{}: {:.4g} recommended\n", r.prediction, r.recommended.prediction);
  }
  if (!r.recommended.terms.empty() || !r.recommended.constraints.empty()) {
    Table terms({{"term or constraint"}, {"target"}, {"now", true}, {"recommended", true}});
    for (size_t t = 0; t < r.recommended.terms.size(); ++t) {
      const sp::TermValue& v = r.recommended.terms[t];
      terms.AddRow(
          {v.name,
           fmt::format("{} (weight {})", v.maximize ? "maximize" : "minimize", Num(v.weight)),
           r.current ? Num(r.current->terms[t].value) : "-", Num(v.value)});
    }
    for (size_t k = 0; k < r.recommended.constraints.size(); ++k) {
      const sp::ConstraintCheck& c = r.recommended.constraints[k];
      auto cell = [](const sp::ConstraintCheck& x) {
        return fmt::format("{} {}", Num(x.value), x.holds ? "ok" : "VIOLATED");
      };
      terms.AddRow({c.name, Bound(c.min, c.max), r.current ? cell(r.current->constraints[k]) : "-",
                    cell(c)});
    }
    terms.Print();
  }
  fmt::print("\n");
  if (r.envelope) {
    auto where = [&](const sp::PointReport& p) {
      std::string s = p.outside.empty() ? "within the training data's range"
                                        : fmt::format(
                                              "{} feature(s) beyond the training data's "
                                              "range",
                                              p.outside.size());
      if (!p.tails.empty()) {
        s += fmt::format(" ({} in its outer 1%: ", p.tails.size());
        for (size_t i = 0; i < p.tails.size(); ++i)
          s += (i ? ", " : "") + p.tails[i];
        s += ")";
      }
      return s + fmt::format("; nearest training row {:.2f}", p.nn_distance.value_or(NAN));
    };
    fmt::print(
        "training data: the training rows' own nearest-neighbour distance is {:.2f} "
        "(median), {:.2f} (95%), {:.2f} (99%)\n",
        r.nn_median, r.nn_p95, r.nn_p99);
    if (r.current) fmt::print("  now          {}\n", where(*r.current));
    fmt::print("  recommended  {}\n", where(r.recommended));
  }
  if (!r.drivers.empty()) {
    fmt::print("what drives the change (contribution to the {}, now -> recommended):\n",
               r.task == "regression" ? "prediction" : "log-odds");
    Table drivers({{"feature"},
                   {"now", true},
                   {"recommended", true},
                   {"contribution", true},
                   {"change", true}});
    for (const sp::Driver& d : r.drivers) {
      drivers.AddRow(
          {d.feature, Num(d.current_value), Num(d.recommended_value),
           fmt::format("{:+.3f} -> {:+.3f}", d.current_contribution, d.recommended_contribution),
           fmt::format("{:+.3f}", d.change())});
    }
    drivers.Print();
  }
  fmt::print("solver: {} ({}), {} evaluations, {}\n", r.method, r.algorithms,
             FormatCount(r.evaluations), FormatSeconds(r.seconds));
  for (const std::string& note : r.notes)
    fmt::print("note: {}\n", note);
}

Status RunOptimize(const OptimizeCli& o) {
  FH_ASSIGN_OR_RETURN(sp::ControlsSpec spec, sp::LoadControlsSpec(o.controls));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  sp::RunRequest request{
      std::move(spec), o.model, o.equipment, o.row, {.allow_extrapolation = o.allow_extrapolation}};
  FH_ASSIGN_OR_RETURN(const sp::RunResult run, sp::RunSetpointSearch(*hub, request));
  if (o.json) {
    PrintJson(sp::SetpointResultJson(run));
  } else {
    PrintResult(run);
  }
  return Status::Ok();
}

}  // namespace

Command RegisterOptimize(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "optimize", "Set-points that minimise a model's predicted risk within bounds and the data");
  auto o = std::make_shared<OptimizeCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("--model", o->model,
                  "NAME (production, else newest) or NAME@VERSION; default: the spec's model");
  sub->add_option("--controls", o->controls,
                  "The controls spec (YAML): controls and bounds, context, objective, constraints")
      ->type_name("FILE")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--equipment", o->equipment,
                  "Hold the other inputs at the latest values of this asset's tags (a path)")
      ->type_name("PATH");
  sub->add_option("--row", o->row,
                  "Hold them at the N-th row of the model's data in the hub (-1: the last)")
      ->type_name("N");
  sub->add_flag("--allow-extrapolation", o->allow_extrapolation,
                "Search beyond the training data's range too (the result flags it)");
  AddJsonOption(sub, &o->json);
  sub->get_option("--equipment")->excludes(sub->get_option("--row"));
  sub->footer(
      "Examples:\n"
      "  factoryhub optimize --hub plant --model ai4i-machine-failure --controls controls.yaml\n"
      "  factoryhub optimize --hub plant --controls controls.yaml --equipment "
      "acme/line-2/mill-01 --json");
  return {sub, [o] { return RunOptimize(*o); }};
}

}  // namespace fh::cli
