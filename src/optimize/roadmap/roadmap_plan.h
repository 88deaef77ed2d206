// The roadmap planned: a catalogue's effects resolved from the hub's measurements (or as
// estimated), its weights (entered, or AHP with the consistency ratio checked), the plan
// that minimises the seed's F = Σ wᵢ·Cᵢ, the Pareto front over efficiency, quality and
// cost, how far each weight can move before the plan changes, and the measures ranked on
// their own by TOPSIS and the weighted sum. What `factoryhub plan` and GET /api/v1/plan show.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/mcda/ahp.h"
#include "optimize/mcda/ranking.h"
#include "optimize/roadmap/catalogue.h"
#include "optimize/roadmap/milp_solver.h"
#include "optimize/roadmap/plant_facts.h"
#include "optimize/roadmap/roadmap_problem.h"

namespace fh::optimize {

// One criterion's effect of one measure, with where the number comes from.
struct ResolvedEffect {
  double value = 0;
  bool measured = false;  // from the hub's data; else a person's estimate
  bool unknown = false;   // the hub could not measure it: counted as 0
  std::string basis;      // the justification, in a sentence with its figures
};

struct PlanOptions {
  std::optional<CriteriaValues> weights;  // overrides the catalogue's
  MilpOptions solver;
  int pareto_levels = 5;  // ε grid per benefit (efficiency × quality); 0: no front
  bool sensitivity = true;
};

struct ParetoPoint {
  double efficiency = 0, quality = 0, cost = 0;  // totals in their units
  std::vector<std::string> measures;             // chosen ids
  bool chosen_plan = false;                      // the weighted-sum plan's point
};

struct WeightRange {
  size_t criterion = 0;
  double weight = 0;
  double low = 0, high = 1;  // the plan stays optimal for weights in [low, high]
  // The plan that takes over just outside the range: what it adds and drops.
  std::vector<std::string> below_adds, below_drops, above_adds, above_drops;
};

struct RoadmapPlan {
  Catalogue catalogue;
  PlantFacts facts;
  RoadmapProblem problem;
  std::vector<std::array<std::optional<ResolvedEffect>, kCriteria>> effects;  // by measure
  std::vector<std::string> capacity_basis;  // by resource: where its number comes from
  std::vector<std::string> trains_basis;    // by measure: "2 people (the skill gap of …)"
  CriteriaValues weights{};
  std::string weights_source;  // "asked" (options), "entered", "ahp", "equal"
  std::optional<AhpWeights> ahp;
  CriteriaValues scales{};
  MilpResult solution;
  CriteriaValues totals{};
  double objective = 0;  // F of the plan
  std::vector<double> spend_per_quarter;
  std::vector<std::vector<double>> people_per_quarter;    // [resource][quarter] busy
  std::vector<std::vector<double>> capacity_per_quarter;  // [resource][quarter]
  std::vector<ParetoPoint> pareto;
  std::vector<WeightRange> sensitivity;
  std::vector<RankedAlternative> topsis, weighted_sum;  // the measures on their own
  std::vector<std::string> warnings;
};

// The numbers the solver needs from a catalogue and the measured facts.
Status ResolveCatalogue(const Catalogue& catalogue, const PlantFacts& facts, RoadmapPlan& plan);

// The weights: the options', the catalogue's direct ones, or its AHP judgements (refused
// when their consistency ratio exceeds 0.1); equal weights when none are given.
Status ResolveWeights(const Catalogue& catalogue, const PlanOptions& options, RoadmapPlan& plan);

// Resolves, solves and analyses. InvalidArgument for a catalogue that cannot be planned
// (inconsistent AHP judgements); an infeasible catalogue is a plan with status infeasible
// and a warning naming the rules to look at.
Result<RoadmapPlan> PlanRoadmap(const Catalogue& catalogue, const PlantFacts& facts,
                                const PlanOptions& options = {});

}  // namespace fh::optimize
