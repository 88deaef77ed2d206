// The roadmap as numbers, ready for the solver: each measure's effects, costs, people and
// links resolved (from the hub or as entered), the horizon, the budget and the people
// available. A schedule gives each measure a start quarter or none; its criteria follow
// from when each measure is done:
//
//   benefit i (E, Q, S_D): effect × (H − start − duration) / H — the effect averaged over
//                          the horizon, so that what is done sooner counts for more;
//   C_T (D, T, P) or C_S (S): one-off + running × (H − start − duration), spent in the horizon;
//   C_P: the measure's complexity, once chosen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/roadmap/catalogue.h"
#include "optimize/roadmap/criteria.h"

namespace fh::optimize {

struct ProblemMeasure {
  std::string id;
  Family family = Family::kData;
  int duration = 1;
  double one_off = 0;
  double running = 0;
  double complexity = 0;
  CriteriaValues effect{};                        // benefits' full effects (costs' entries unused)
  std::vector<std::pair<size_t, double>> people;  // resource → people busy while it runs
  std::vector<std::pair<size_t, double>> trains;  // resource → capacity added once done
  std::vector<size_t> requires_;                  // measures done before it starts
  std::vector<size_t> excludes;
  bool mandatory = false;
  std::optional<int> start;  // fixed
};

struct RoadmapProblem {
  int quarters = 8;
  double budget_per_quarter = 0;  // 0: none
  std::optional<double> budget_total;
  std::vector<std::string> resources;  // qualifications
  std::vector<double> capacity;        // people on measures at once, by resource
  std::vector<ProblemMeasure> measures;
};

// What measure m contributes to each criterion when it starts in quarter `start`.
CriteriaValues Contribution(const ProblemMeasure& m, int start, int quarters);

// The spend of a measure in the quarter `offset` quarters after it started.
double SpendAt(const ProblemMeasure& m, int offset);

// A schedule: each measure's start quarter, or -1 when not chosen.
using Schedule = std::vector<int>;

// The criteria totals of a schedule, in their units.
CriteriaValues Totals(const RoadmapProblem& p, const Schedule& s);

// OK when the schedule keeps every rule (horizon, budget, people, prerequisites,
// exclusions, mandatory and fixed starts); else what it breaks first.
Status CheckSchedule(const RoadmapProblem& p, const Schedule& s);

// Each criterion's scale: the sum over all measures of its contribution when started at
// once (the most it can add up to), or 1 when that is 0 — dividing by it puts every criterion
// on [0, 1], so CNY and OEE points can be weighed against each other. The technology and
// talent costs, both in currency, share the scale of their sum.
CriteriaValues Scales(const RoadmapProblem& p);

// The seed's F = Σ wᵢ·Cᵢ of criteria totals: costs over their scale, benefits over theirs
// and negated (more of a benefit lowers F). Doing nothing gives 0.
double WeightedObjective(const CriteriaValues& totals, const CriteriaValues& weights,
                         const CriteriaValues& scales);

}  // namespace fh::optimize
