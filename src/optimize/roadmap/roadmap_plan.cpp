#include "optimize/roadmap/roadmap_plan.h"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/ranges.h>

#include "common/time.h"
#include "optimize/roadmap/pareto_front.h"
#include "optimize/roadmap/weight_sensitivity.h"

namespace fh::optimize {

namespace {

constexpr size_t kEfficiency = static_cast<size_t>(Criterion6::kEfficiency);
constexpr size_t kQuality = static_cast<size_t>(Criterion6::kQuality);
constexpr size_t kData = static_cast<size_t>(Criterion6::kData);

std::string Percent(double share) {
  return fmt::format("{:.1f}%", share * 100);
}

std::string Day(int64_t ns) {
  return FormatRfc3339(ns).substr(0, 10);
}

// What MeasurePlant found under `key`; a fact it was not asked for is one nobody measured.
template <typename Facts>
Facts Fact(const std::map<std::string, Facts>& facts, const std::string& key) {
  auto it = facts.find(key);
  if (it != facts.end()) return it->second;
  Facts missing;
  missing.error = "not measured";
  return missing;
}

std::string ShareText(const EffectSpec& e) {
  return e.share < 1 ? fmt::format(", of which the measure removes {} (estimate)", Percent(e.share))
                     : "";
}

// The effect of a measure on one criterion, with the sentence that justifies it.
Result<ResolvedEffect> ResolveEffect(const EffectSpec& e, size_t criterion, const PlantFacts& f) {
  ResolvedEffect r;
  const std::string unit(kCriterionInfo[criterion].unit);
  if (e.from == "estimate") {
    r.value = e.estimate;
    r.basis = fmt::format("{:+g} {}: an estimate entered at {}", e.estimate, unit, e.where);
    return r;
  }
  const std::string window = fmt::format("{} … {}", Day(f.from), Day(f.to));
  auto unknown = [&](const std::string& why) {
    r.unknown = true;
    r.basis = fmt::format("not measured ({}): {}; counted as 0", e.where, why);
    return r;
  };
  if (e.from == "downtime" || e.from == "predictive_maintenance") {
    if (criterion != kEfficiency)
      return InvalidArgument("{}: from: {} measures lost availability: it is an efficiency effect",
                             e.where, e.from);
    const AssetFacts a = Fact(f.assets, e.asset);
    if (!a.error.empty()) return unknown(fmt::format("OEE of '{}': {}", e.asset, a.error));
    double lost = 0;
    for (const std::string& reason : e.reasons) {
      auto it = a.stop_seconds.find(reason);
      if (it != a.stop_seconds.end()) lost += it->second;
    }
    const double share = lost / a.planned_busy_s;
    const double p = a.performance.value_or(1), q = a.quality.value_or(1);
    // OEE = A·P·Q and A = production / planned busy time: time won back from stops raises
    // A by its share of the planned busy time, and OEE by that times P·Q.
    double points = 100 * share * p * q * e.share;
    std::string model;
    if (e.from == "predictive_maintenance") {
      const ModelFacts m = Fact(f.models, e.model);
      if (!m.error.empty()) return unknown(fmt::format("model '{}': {}", e.model, m.error));
      points *= *m.recall;
      model = fmt::format("; model {} catches {} of failures (cross-validated recall)", m.label,
                          Percent(*m.recall));
    }
    r.value = points;
    r.measured = true;
    r.basis = fmt::format(
        "stops {} cost {} of the planned busy time with recorded states on {} ({}){}{}; at "
        "performance {} and quality {}: "
        "{:+.2f} OEE points",
        fmt::join(e.reasons, ", "), Percent(share), e.asset.empty() ? "the plant" : e.asset, window,
        ShareText(e), model, Percent(p), Percent(q), points);
    return r;
  }
  if (e.from == "scrap") {
    if (criterion != kQuality && criterion != kEfficiency)
      return InvalidArgument("{}: from: scrap is a quality (or efficiency) effect", e.where);
    const AssetFacts a = Fact(f.assets, e.asset);
    if (!a.error.empty() || !a.scrap_ratio)
      return unknown(fmt::format("scrap of '{}': {}", e.asset,
                                 a.error.empty() ? "no production counted" : a.error));
    double points = 100 * *a.scrap_ratio * e.share;
    std::string how = "first-pass-yield points";
    if (criterion == kEfficiency) {
      points *= a.availability.value_or(1) * a.performance.value_or(1);
      how = "OEE points (the quality factor, at its availability and performance)";
    }
    r.value = points;
    r.measured = true;
    r.basis =
        fmt::format("scrap is {} of production on {} ({}){}: {:+.2f} {}", Percent(*a.scrap_ratio),
                    e.asset.empty() ? "the plant" : e.asset, window, ShareText(e), points, how);
    return r;
  }
  if (e.from == "defects") {
    if (criterion != kQuality)
      return InvalidArgument("{}: from: defects is a quality effect", e.where);
    const DefectFacts d = Fact(f.defects, DefectKey(e));
    if (!d.error.empty()) return unknown(d.error);
    const double rate = static_cast<double>(d.failed) / static_cast<double>(d.inspected);
    const double points = 100 * rate * e.share;
    r.value = points;
    r.measured = true;
    r.basis = fmt::format(
        "{} of {} inspections of {} failed{} ({}) = {}{}: {:+.2f} first-pass-yield points",
        d.failed, d.inspected, e.characteristic,
        e.defect_codes.empty() ? "" : fmt::format(" with {}", fmt::join(e.defect_codes, ", ")),
        window, Percent(rate), ShareText(e), points);
    return r;
  }
  // completeness
  if (criterion != kData)
    return InvalidArgument("{}: from: completeness is a data effect", e.where);
  const SourceFacts s = Fact(f.sources, e.mapping);
  if (!s.error.empty()) return unknown(fmt::format("mapping '{}': {}", e.mapping, s.error));
  const double points = 100 * (1 - *s.completeness) * e.share;
  r.value = points;
  r.measured = true;
  r.basis = fmt::format(
      "mapping {}'s current import is {} complete ({} records){}: {:+.2f} data coverage points",
      e.mapping, Percent(*s.completeness), s.records, ShareText(e), points);
  return r;
}

std::vector<std::string> Ids(const RoadmapProblem& p, const Schedule& s) {
  std::vector<std::string> out;
  for (size_t j = 0; j < s.size(); ++j)
    if (s[j] >= 0) out.push_back(p.measures[j].id);
  return out;
}

void Difference(const RoadmapProblem& p, const Schedule& from, const Schedule& to,
                std::vector<std::string>& adds, std::vector<std::string>& drops) {
  if (to.empty()) return;
  for (size_t j = 0; j < from.size(); ++j) {
    if (from[j] < 0 && to[j] >= 0) adds.push_back(p.measures[j].id);
    if (from[j] >= 0 && to[j] < 0) drops.push_back(p.measures[j].id);
  }
}

}  // namespace

Status ResolveCatalogue(const Catalogue& c, const PlantFacts& f, RoadmapPlan& plan) {
  RoadmapProblem& p = plan.problem;
  p.quarters = c.quarters;
  p.budget_per_quarter = c.budget_per_quarter;
  p.budget_total = c.budget_total;
  std::map<std::string, size_t> index, resource;
  for (size_t j = 0; j < c.measures.size(); ++j)
    index[c.measures[j].id] = j;
  auto resource_of = [&](const std::string& code) {
    auto [it, added] = resource.emplace(code, p.resources.size());
    if (added) {
      p.resources.push_back(code);
      double capacity = 0;
      std::string basis;
      if (auto entered = c.people_available.find(code); entered != c.people_available.end()) {
        capacity = entered->second;
        basis = fmt::format("{:g} people, entered in {}", capacity, c.file);
      } else if (c.people_from_hub && f.people_measured) {
        auto held = f.qualifications.find(code);
        const int holders = held == f.qualifications.end() ? 0 : held->second.holders;
        capacity = holders * c.project_share;
        basis = fmt::format("{} people hold it now × {} of their time for projects = {:g}", holders,
                            Percent(c.project_share), capacity);
      } else {
        basis = c.people_from_hub
                    ? fmt::format("not measured: {}; counted as 0", f.people_error)
                    : fmt::format("not listed under people.available in {}: 0", c.file);
      }
      p.capacity.push_back(capacity);
      plan.capacity_basis.push_back(std::move(basis));
    }
    return it->second;
  };
  plan.effects.assign(c.measures.size(), {});
  plan.trains_basis.assign(c.measures.size(), "");
  for (size_t j = 0; j < c.measures.size(); ++j) {
    const Measure& m = c.measures[j];
    ProblemMeasure pm;
    pm.id = m.id;
    pm.family = m.family;
    pm.duration = m.duration;
    pm.one_off = m.one_off;
    pm.running = m.running;
    pm.complexity = m.complexity;
    pm.mandatory = m.mandatory;
    pm.start = m.start;
    for (const auto& [criterion, spec] : m.effects) {
      Result<ResolvedEffect> effect = ResolveEffect(spec, criterion, f);
      if (!effect.ok()) return effect.status().WithContext(fmt::format("measure '{}'", m.id));
      pm.effect[criterion] = effect->value;
      if (effect->unknown)
        plan.warnings.push_back(fmt::format("measure '{}': {} {}", m.id,
                                            kCriterionInfo[criterion].name, effect->basis));
      plan.effects[j][criterion] = std::move(*effect);
    }
    for (const auto& [code, count] : m.people)
      pm.people.push_back({resource_of(code), count});
    std::vector<std::string> trained;
    for (const auto& [code, count] : m.trains) {
      double people = count;
      if (count == kTrainTheGap) {
        auto held = f.qualifications.find(code);
        people = held == f.qualifications.end() ? 0 : held->second.shortfall;
        trained.push_back(
            f.people_measured
                ? fmt::format("{:g} for {} (the skill gap the hub measures)", people, code)
                : fmt::format("0 for {} (skill gaps not measured: {})", code, f.people_error));
      } else {
        trained.push_back(fmt::format("{:g} for {} (entered)", people, code));
      }
      // Trained people work on projects in the same share as those qualified already.
      pm.trains.push_back(
          {resource_of(code), people * (c.people_from_hub ? c.project_share : 1.0)});
    }
    if (!trained.empty()) plan.trains_basis[j] = fmt::format("trains {}", fmt::join(trained, "; "));
    for (const std::string& id : m.requires_)
      pm.requires_.push_back(index.at(id));
    for (const std::string& id : m.excludes) {
      pm.excludes.push_back(index.at(id));
    }
    p.measures.push_back(std::move(pm));
  }
  // Exclusion is mutual whichever side wrote it.
  for (size_t j = 0; j < p.measures.size(); ++j)
    for (size_t x : std::vector<size_t>(p.measures[j].excludes))
      if (std::find(p.measures[x].excludes.begin(), p.measures[x].excludes.end(), j) ==
          p.measures[x].excludes.end())
        p.measures[x].excludes.push_back(j);
  // Prerequisites must not loop: a cycle makes every measure on it impossible.
  std::vector<int> state(p.measures.size(), 0);
  std::function<Status(size_t)> visit = [&](size_t j) -> Status {
    if (state[j] == 1)
      return InvalidArgument("{}: measure '{}' requires itself through its prerequisites",
                             c.measures[j].where, c.measures[j].id);
    if (state[j] == 2) return Status::Ok();
    state[j] = 1;
    for (size_t r : p.measures[j].requires_)
      FH_RETURN_IF_ERROR(visit(r));
    state[j] = 2;
    return Status::Ok();
  };
  for (size_t j = 0; j < p.measures.size(); ++j)
    FH_RETURN_IF_ERROR(visit(j));
  return Status::Ok();
}

Status ResolveWeights(const Catalogue& c, const PlanOptions& options, RoadmapPlan& plan) {
  if (options.weights) {
    plan.weights = *options.weights;
    plan.weights_source = "asked";
  } else if (c.weights.direct) {
    plan.weights = *c.weights.direct;
    plan.weights_source = "entered";
  } else if (!c.weights.judgements.empty()) {
    std::vector<std::string> criteria;
    for (const CriterionInfo& info : kCriterionInfo)
      criteria.emplace_back(info.name);
    FH_ASSIGN_OR_RETURN(AhpWeights ahp, AhpFromJudgements(criteria, c.weights.judgements));
    FH_RETURN_IF_ERROR(CheckConsistency(ahp).WithContext(c.weights.where));
    for (size_t i = 0; i < kCriteria; ++i)
      plan.weights[i] = ahp.weights[i];
    plan.ahp = std::move(ahp);
    plan.weights_source = "ahp";
  } else {
    plan.weights.fill(1.0 / kCriteria);
    plan.weights_source = "equal";
    plan.warnings.push_back("no weights given: every criterion weighs the same (1/6)");
  }
  double sum = 0;
  for (double w : plan.weights) {
    if (!(w >= 0)) return InvalidArgument("weights must be ≥ 0");
    sum += w;
  }
  if (!(sum > 0)) return InvalidArgument("at least one weight must be above 0");
  for (double& w : plan.weights)
    w /= sum;
  return Status::Ok();
}

Result<RoadmapPlan> PlanRoadmap(const Catalogue& catalogue, const PlantFacts& facts,
                                const PlanOptions& options) {
  RoadmapPlan plan;
  plan.catalogue = catalogue;
  plan.facts = facts;
  FH_RETURN_IF_ERROR(ResolveWeights(catalogue, options, plan));
  FH_RETURN_IF_ERROR(ResolveCatalogue(catalogue, facts, plan));
  const RoadmapProblem& p = plan.problem;
  plan.scales = Scales(p);
  FH_ASSIGN_OR_RETURN(
      plan.solution,
      SolveRoadmap(p, WeightedSumObjective(plan.weights, plan.scales), options.solver));
  const bool solved = plan.solution.status == MilpResult::Status::kOptimal ||
                      plan.solution.status == MilpResult::Status::kFeasible;
  if (!solved) {
    plan.warnings.push_back(
        plan.solution.status == MilpResult::Status::kInfeasible
            ? "no roadmap keeps every rule: look at the mandatory and fixed measures, the "
              "budget and the people they need"
            : "the solver found no roadmap within its time limit");
    plan.solution.schedule.assign(p.measures.size(), -1);
  }
  const Schedule& s = plan.solution.schedule;
  plan.totals = Totals(p, s);
  plan.objective = WeightedObjective(plan.totals, plan.weights, plan.scales);
  plan.spend_per_quarter.assign(p.quarters, 0);
  plan.people_per_quarter.assign(p.resources.size(), std::vector<double>(p.quarters, 0));
  plan.capacity_per_quarter.assign(p.resources.size(), std::vector<double>(p.quarters, 0));
  for (size_t r = 0; r < p.resources.size(); ++r)
    for (int q = 0; q < p.quarters; ++q)
      plan.capacity_per_quarter[r][q] = p.capacity[r];
  for (size_t j = 0; j < p.measures.size(); ++j) {
    if (s[j] < 0) continue;
    const ProblemMeasure& m = p.measures[j];
    for (int q = s[j]; q < p.quarters; ++q) {
      plan.spend_per_quarter[q] += SpendAt(m, q - s[j]);
      if (q < s[j] + m.duration)
        for (auto [r, n] : m.people)
          plan.people_per_quarter[r][q] += n;
      else
        for (auto [r, n] : m.trains)
          plan.capacity_per_quarter[r][q] += n;
    }
  }
  // The measures ranked on their own (each started at once), by both methods.
  DecisionMatrix matrix;
  for (const CriterionInfo& info : kCriterionInfo)
    matrix.criteria.push_back({std::string(info.name), info.benefit});
  for (const ProblemMeasure& m : p.measures) {
    matrix.alternatives.push_back(m.id);
    const CriteriaValues v = Contribution(m, 0, p.quarters);
    matrix.values.insert(matrix.values.end(), v.begin(), v.end());
  }
  const std::vector<double> w(plan.weights.begin(), plan.weights.end());
  FH_ASSIGN_OR_RETURN(plan.topsis, Topsis(matrix, w));
  FH_ASSIGN_OR_RETURN(plan.weighted_sum, WeightedSum(matrix, w));
  if (!solved) return plan;

  const bool optimal = plan.solution.status == MilpResult::Status::kOptimal;
  if (options.pareto_levels > 0) {
    FH_ASSIGN_OR_RETURN(std::vector<FrontPoint> front,
                        ParetoFront(p, options.pareto_levels, options.solver));
    bool found = false;
    for (const FrontPoint& f : front) {
      ParetoPoint point{f.totals[kEfficiency], f.totals[kQuality], f.cost, Ids(p, f.schedule),
                        f.schedule == s};
      found |= point.chosen_plan;
      plan.pareto.push_back(std::move(point));
    }
    if (!found) {
      // The weighted plan also weighs data, complexity and talent: it may sit behind the
      // front of these three criteria. Show it beside the front all the same.
      plan.pareto.push_back({plan.totals[kEfficiency], plan.totals[kQuality],
                             plan.totals[static_cast<size_t>(Criterion6::kTechnologyCost)] +
                                 plan.totals[static_cast<size_t>(Criterion6::kTalentCost)],
                             Ids(p, s), true});
      std::stable_sort(plan.pareto.begin(), plan.pareto.end(),
                       [](const ParetoPoint& a, const ParetoPoint& b) { return a.cost < b.cost; });
    }
  }
  if (options.sensitivity && optimal) {
    for (size_t i = 0; i < kCriteria; ++i) {
      FH_ASSIGN_OR_RETURN(WeightInterval interval,
                          WeightStability(p, plan.weights, plan.scales, i, s, options.solver));
      WeightRange range;
      range.criterion = i;
      range.weight = plan.weights[i];
      range.low = interval.low;
      range.high = interval.high;
      Difference(p, s, interval.below, range.below_adds, range.below_drops);
      Difference(p, s, interval.above, range.above_adds, range.above_drops);
      plan.sensitivity.push_back(std::move(range));
    }
  } else if (options.sensitivity) {
    plan.warnings.push_back(
        fmt::format("no weight sensitivity: the plan is not proven optimal (gap {})",
                    Percent(plan.solution.gap)));
  }
  return plan;
}

}  // namespace fh::optimize
