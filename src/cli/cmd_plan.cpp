// factoryhub plan --hub DIR [--catalogue FILE] [--weights efficiency=0.4,...] [--json]
//   [--html FILE] [--time-limit S] [--pareto-levels N] [--no-sensitivity]
//
// The transformation roadmap (optimize/roadmap/): the catalogue's measures chosen and
// scheduled by quarter to minimise the source document's F = Σ wᵢ·Cᵢ under the budget,
// the people and the prerequisites, each effect justified from the hub's data.
#include <fstream>

#include <fmt/ranges.h>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "optimize/roadmap/plan_html.h"
#include "optimize/roadmap/plan_json.h"
#include "optimize/roadmap/roadmap_plan.h"

namespace fh::cli {
namespace {

using namespace optimize;

struct PlanCli {
  std::string hub;
  std::string catalogue;
  std::string weights;
  std::string html;
  double time_limit = 10;
  int pareto_levels = 5;
  bool no_sensitivity = false;
  bool json = false;
};

std::string Pct(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}%", *v * 100) : "–";
}

void PrintPlan(const RoadmapPlan& plan) {
  const Catalogue& c = plan.catalogue;
  const Schedule& s = plan.solution.schedule;
  fmt::print("{}\n", c.title.empty() ? "Transformation roadmap" : c.title);
  fmt::print("Horizon {} … {}; budget {} {} a quarter{}\n", c.QuarterLabel(0),
             c.QuarterLabel(c.quarters - 1),
             c.budget_per_quarter > 0 ? fmt::format("{:.0f}", c.budget_per_quarter) : "unlimited",
             c.currency, c.budget_total ? fmt::format(", {:.0f} in all", *c.budget_total) : "");
  const AssetFacts& b = plan.facts.plant;
  if (b.error.empty())
    fmt::print("Baseline (measured, {}): OEE {} = A {} × P {} × Q {}; scrap {}\n",
               plan.facts.window, Pct(b.oee), Pct(b.availability), Pct(b.performance),
               Pct(b.quality), Pct(b.scrap_ratio));
  else
    fmt::print("Baseline: not measured ({})\n", b.error);
  std::vector<std::string> weights;
  for (size_t i = 0; i < kCriteria; ++i)
    weights.push_back(fmt::format("{} {:.3f}", kCriterionInfo[i].name, plan.weights[i]));
  fmt::print("Weights ({}{}): {}\n", plan.weights_source,
             plan.ahp ? fmt::format(", consistency ratio {:.3f}", plan.ahp->consistency_ratio) : "",
             fmt::join(weights, ", "));
  int chosen = 0;
  for (int t : s)
    chosen += t >= 0;
  fmt::print("Plan: {} of {} measures, F = {:.4f}; solver {} in {:.2f} s, gap {:.2f}%\n\n", chosen,
             s.size(), plan.objective, ToString(plan.solution.status), plan.solution.seconds,
             plan.solution.gap * 100);
  Table t({{"measure"},
           {"family"},
           {"start"},
           {"end"},
           {"one-off", true},
           {"running/q", true},
           {"E", true},
           {"Q", true},
           {"S_D", true}});
  auto effect = [&](size_t j, Criterion6 k) {
    const auto& e = plan.effects[j][static_cast<size_t>(k)];
    if (!e) return std::string();
    return fmt::format("{:+.2f}{}", e->value, e->unknown ? "?" : e->measured ? "m" : "e");
  };
  for (size_t j = 0; j < s.size(); ++j) {
    if (s[j] < 0) continue;
    const Measure& m = c.measures[j];
    t.AddRow({m.id, std::string(FamilyLetter(m.family)), c.QuarterLabel(s[j]),
              c.QuarterLabel(s[j] + m.duration - 1), fmt::format("{:.0f}", m.one_off),
              fmt::format("{:.0f}", m.running), effect(j, Criterion6::kEfficiency),
              effect(j, Criterion6::kQuality), effect(j, Criterion6::kData)});
  }
  t.Print();
  fmt::print("(effects: m measured from the hub, e an estimate, ? could not be measured)\n");
  std::vector<std::string> not_chosen;
  for (size_t j = 0; j < s.size(); ++j)
    if (s[j] < 0) not_chosen.push_back(c.measures[j].id);
  if (!not_chosen.empty()) fmt::print("Not chosen: {}\n", fmt::join(not_chosen, ", "));
  fmt::print("\nWhy:\n");
  for (size_t j = 0; j < s.size(); ++j) {
    if (s[j] < 0) continue;
    fmt::print("  {}:\n", c.measures[j].id);
    for (size_t i = 0; i < kCriteria; ++i)
      if (plan.effects[j][i])
        fmt::print("    {}: {}\n", kCriterionInfo[i].name, plan.effects[j][i]->basis);
    if (!plan.trains_basis[j].empty()) fmt::print("    {}\n", plan.trains_basis[j]);
  }
  fmt::print("\nSpend per quarter ({}):", c.currency);
  for (int q = 0; q < c.quarters; ++q)
    fmt::print(" {} {:.0f}", c.QuarterLabel(q), plan.spend_per_quarter[q]);
  fmt::print("\n");
  if (!plan.pareto.empty()) {
    fmt::print(
        "\nPareto front (cheapest roadmap per level of efficiency and quality; * the plan):\n");
    Table f({{""}, {"cost", true}, {"OEE points", true}, {"FPY points", true}, {"measures"}});
    for (const ParetoPoint& p : plan.pareto)
      f.AddRow({p.chosen_plan ? "*" : "", fmt::format("{:.0f}", p.cost),
                fmt::format("{:.2f}", p.efficiency), fmt::format("{:.2f}", p.quality),
                fmt::format("{}", fmt::join(p.measures, " "))});
    f.Print();
  }
  if (!plan.sensitivity.empty()) {
    fmt::print(
        "\nHow far each weight can move before the plan changes (the others in proportion):\n");
    Table w({{"criterion"},
             {"weight", true},
             {"from", true},
             {"to", true},
             {"below: the plan then"},
             {"above: the plan then"}});
    auto change = [](const std::vector<std::string>& adds, const std::vector<std::string>& drops) {
      std::vector<std::string> parts;
      for (const std::string& id : adds)
        parts.push_back("+" + id);
      for (const std::string& id : drops)
        parts.push_back("-" + id);
      return parts.empty() ? std::string("–") : fmt::format("{}", fmt::join(parts, " "));
    };
    for (const WeightRange& r : plan.sensitivity)
      w.AddRow({std::string(kCriterionInfo[r.criterion].name), fmt::format("{:.3f}", r.weight),
                fmt::format("{:.3f}", r.low), fmt::format("{:.3f}", r.high),
                change(r.below_adds, r.below_drops), change(r.above_adds, r.above_drops)});
    w.Print();
  }
  for (const std::string& w : plan.warnings)
    fmt::print(stderr, "factoryhub: warning: {}\n", w);
}

Status Run(const PlanCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const std::string path =
      o.catalogue.empty() ? (hub->dir() / kPlanCatalogueFile).string() : o.catalogue;
  if (!std::filesystem::exists(path))
    return NotFound("{}: no plan catalogue (write one: docs/optimize.md; the demo hub has one)",
                    path);
  FH_ASSIGN_OR_RETURN(Catalogue catalogue, LoadCatalogue(path));
  PlanOptions options;
  if (!o.weights.empty()) {
    FH_ASSIGN_OR_RETURN(options.weights, ParseWeightList(o.weights));
  }
  options.solver.time_limit_s = o.time_limit;
  options.pareto_levels = o.pareto_levels;
  options.sensitivity = !o.no_sensitivity;
  FH_ASSIGN_OR_RETURN(PlantFacts facts, MeasurePlant(*hub, catalogue, NowNs()));
  FH_ASSIGN_OR_RETURN(RoadmapPlan plan, PlanRoadmap(catalogue, facts, options));
  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary);
    out << RoadmapPlanHtml(plan);
    if (!out) return IOError("{}: cannot write the report", o.html);
  }
  if (o.json) {
    PrintJson(RoadmapPlanJson(plan));
  } else {
    PrintPlan(plan);
    if (!o.html.empty()) fmt::print("\nReport: {}\n", o.html);
  }
  return Status::Ok();
}

}  // namespace

Command RegisterPlan(CLI::App& parent) {
  auto o = std::make_shared<PlanCli>();
  CLI::App* sub = parent.add_subcommand(
      "plan",
      "The transformation roadmap: measures chosen and scheduled by quarter (min Σ wᵢ·Cᵢ), "
      "justified from the hub's data, with the Pareto front and weight sensitivity");
  AddHubOption(sub, &o->hub);
  sub->add_option("--catalogue", o->catalogue,
                  "The catalogue of measures (default: the hub's plan.yaml)");
  sub->add_option(
      "--weights", o->weights,
      "Weights instead of the catalogue's: efficiency=0.4,quality=0.3,... (criteria left out "
      "weigh 0; normalised to sum 1)");
  sub->add_option("--html", o->html,
                  "Also write the report as a page: Gantt chart, justification, Pareto front");
  sub->add_option("--time-limit", o->time_limit,
                  "Seconds the solver may take for the plan (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  sub->add_option("--pareto-levels", o->pareto_levels,
                  "Levels of efficiency and of quality in the Pareto grid (default 5; 0: no front)")
      ->check(CLI::Range(0, 20));
  sub->add_flag("--no-sensitivity", o->no_sensitivity, "Skip how far each weight can move");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub plan --hub plant\n"
      "  factoryhub plan --hub plant --weights efficiency=0.5,quality=0.3,technology_cost=0.2 "
      "--json\n"
      "  factoryhub plan --hub plant --html roadmap.html\n"
      "The catalogue (plan.yaml): docs/optimize.md.");
  return {sub, [o] { return Run(*o); }};
}

}  // namespace fh::cli
