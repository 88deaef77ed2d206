#include "optimize/roadmap/weight_sensitivity.h"

#include <cmath>

namespace fh::optimize {

CriteriaValues MoveWeight(const CriteriaValues& weights, size_t criterion, double lambda) {
  CriteriaValues w = weights;
  const double rest = 1 - weights[criterion];
  for (size_t k = 0; k < kCriteria; ++k) {
    if (k == criterion) continue;
    // When the weight was everything, the others share what is freed equally.
    w[k] = rest > 1e-12 ? weights[k] * (1 - lambda) / rest : (1 - lambda) / (kCriteria - 1);
  }
  w[criterion] = lambda;
  return w;
}

namespace {

double F(const RoadmapProblem& p, const Schedule& s, const CriteriaValues& weights,
         const CriteriaValues& scales, size_t criterion, double lambda) {
  return WeightedObjective(Totals(p, s), MoveWeight(weights, criterion, lambda), scales);
}

// From λ0 towards `end`: the last λ at which `plan` is still optimal, and the plan beyond.
Result<std::pair<double, Schedule>> Walk(const RoadmapProblem& p, const CriteriaValues& weights,
                                         const CriteriaValues& scales, size_t criterion,
                                         const Schedule& plan, double end,
                                         const MilpOptions& options) {
  constexpr double kTol = 1e-9;
  const double start = weights[criterion];
  double target = end;
  Schedule rival;
  for (int step = 0; step < 30; ++step) {
    const CriteriaValues w = MoveWeight(weights, criterion, target);
    FH_ASSIGN_OR_RETURN(MilpResult r, SolveRoadmap(p, WeightedSumObjective(w, scales), options));
    if (r.status != MilpResult::Status::kOptimal)
      return std::pair{target, rival};  // cannot tell better
    const double mine = F(p, plan, weights, scales, criterion, target);
    if (r.objective >= mine - kTol * std::max(1.0, std::abs(mine))) return std::pair{target, rival};
    rival = r.schedule;
    // Both plans' F are lines in λ; they cross where the plan stops being the better.
    const double a0 = F(p, plan, weights, scales, criterion, start);
    const double b0 = F(p, rival, weights, scales, criterion, start);
    const double a1 = mine, b1 = r.objective;
    const double denominator = (a0 - b0) - (a1 - b1);
    if (std::abs(denominator) < 1e-15) return std::pair{start, rival};
    const double t = (a0 - b0) / denominator;  // fraction of the way from start to target
    const double crossing = start + t * (target - start);
    if (std::abs(crossing - target) < 1e-12) return std::pair{crossing, rival};
    target = crossing;
  }
  return std::pair{target, rival};
}

}  // namespace

Result<WeightInterval> WeightStability(const RoadmapProblem& p, const CriteriaValues& weights,
                                       const CriteriaValues& scales, size_t criterion,
                                       const Schedule& plan, const MilpOptions& options) {
  WeightInterval out;
  FH_ASSIGN_OR_RETURN(auto low, Walk(p, weights, scales, criterion, plan, 0.0, options));
  FH_ASSIGN_OR_RETURN(auto high, Walk(p, weights, scales, criterion, plan, 1.0, options));
  out.low = low.first;
  out.below = low.second;
  out.high = high.first;
  out.above = high.second;
  return out;
}

}  // namespace fh::optimize
