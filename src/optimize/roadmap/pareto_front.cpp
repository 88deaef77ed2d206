#include "optimize/roadmap/pareto_front.h"

#include <algorithm>

namespace fh::optimize {

namespace {

constexpr size_t kE = static_cast<size_t>(Criterion6::kEfficiency);
constexpr size_t kQ = static_cast<size_t>(Criterion6::kQuality);
constexpr size_t kCT = static_cast<size_t>(Criterion6::kTechnologyCost);
constexpr size_t kCS = static_cast<size_t>(Criterion6::kTalentCost);

bool Dominates(const FrontPoint& a, const FrontPoint& b) {
  constexpr double kTol = 1e-9;
  const bool no_worse = a.totals[kE] >= b.totals[kE] - kTol &&
                        a.totals[kQ] >= b.totals[kQ] - kTol && a.cost <= b.cost + kTol;
  const bool better = a.totals[kE] > b.totals[kE] + kTol || a.totals[kQ] > b.totals[kQ] + kTol ||
                      a.cost < b.cost - kTol;
  return no_worse && better;
}

// The most a benefit can reach alone (maximised with nothing else asked).
Result<double> Reachable(const RoadmapProblem& p, size_t criterion, const MilpOptions& options) {
  MilpObjective most;
  most.coefficient[criterion] = -1;
  FH_ASSIGN_OR_RETURN(MilpResult r, SolveRoadmap(p, most, options));
  if (r.status == MilpResult::Status::kInfeasible ||
      r.status == MilpResult::Status::kNoSolutionInTime)
    return 0.0;
  return Totals(p, r.schedule)[criterion];
}

}  // namespace

Result<std::vector<FrontPoint>> ParetoFront(const RoadmapProblem& p, int levels,
                                            const MilpOptions& options) {
  levels = std::max(levels, 2);
  MilpOptions each = options;
  each.time_limit_s = std::max(0.2, options.time_limit_s / (levels * levels + 2));
  FH_ASSIGN_OR_RETURN(double max_e, Reachable(p, kE, each));
  FH_ASSIGN_OR_RETURN(double max_q, Reachable(p, kQ, each));
  std::vector<FrontPoint> points;
  for (int a = 0; a < levels; ++a) {
    for (int b = 0; b < levels; ++b) {
      MilpObjective cheapest;
      cheapest.coefficient[kCT] = 1;
      cheapest.coefficient[kCS] = 1;
      // Among equally cheap plans, the one with more of both benefits (a tie-break far
      // below a unit of currency).
      cheapest.coefficient[kE] = -1e-6 / std::max(1.0, max_e);
      cheapest.coefficient[kQ] = -1e-6 / std::max(1.0, max_q);
      const double need_e = max_e * a / (levels - 1), need_q = max_q * b / (levels - 1);
      // A hair below the level, so that the level reached alone stays reachable despite
      // rounding in the solver.
      if (a > 0) cheapest.at_least.push_back({kE, need_e * (1 - 1e-9)});
      if (b > 0) cheapest.at_least.push_back({kQ, need_q * (1 - 1e-9)});
      FH_ASSIGN_OR_RETURN(MilpResult r, SolveRoadmap(p, cheapest, each));
      if (r.status != MilpResult::Status::kOptimal && r.status != MilpResult::Status::kFeasible)
        continue;
      FrontPoint point;
      point.totals = Totals(p, r.schedule);
      point.cost = point.totals[kCT] + point.totals[kCS];
      point.schedule = r.schedule;
      points.push_back(std::move(point));
    }
  }
  std::vector<FrontPoint> front;
  for (const FrontPoint& candidate : points) {
    bool dominated = false, duplicate = false;
    for (const FrontPoint& other : points)
      dominated |= Dominates(other, candidate);
    for (const FrontPoint& kept : front)
      duplicate |= kept.schedule == candidate.schedule;
    if (!dominated && !duplicate) front.push_back(candidate);
  }
  std::sort(front.begin(), front.end(),
            [](const FrontPoint& a, const FrontPoint& b) { return a.cost < b.cost; });
  return front;
}

}  // namespace fh::optimize
