// The roadmap as a mixed-integer program, solved by GLPK's branch and cut.
//
// One binary x[j][t] per measure j and start quarter t (those that let it finish within
// the horizon; only the fixed one for a measure already committed). Rows: each measure at
// most once (exactly once when mandatory); the spend of every quarter within the budget
// (a measure's one-off cost spread over its duration, its running cost after); the total
// spend within the total budget; in every quarter, the people a qualification's running
// measures need within those available plus those the finished talent measures trained;
// a measure started by quarter t only if each prerequisite finished by t; excluded pairs
// at most one. The objective is linear in x because each x[j][t]'s criteria are fixed
// (roadmap_problem.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/roadmap/roadmap_problem.h"

namespace fh::optimize {

struct MilpObjective {
  // Minimise Σᵢ coefficient[i] · criterion total i.
  CriteriaValues coefficient{};
  // Criterion totals required at least (ε-constraints of the Pareto front), by index.
  std::vector<std::pair<size_t, double>> at_least;
};

// The weighted sum of the seed: benefits negated, each criterion over its scale.
MilpObjective WeightedSumObjective(const CriteriaValues& weights, const CriteriaValues& scales);

struct MilpOptions {
  double time_limit_s = 10;
  double relative_gap = 1e-6;  // stop once the incumbent is proven this close to the bound
  // When set, the program is also written there in free MPS (for other solvers: the
  // benchmark's peer, or a person checking the model).
  std::string write_mps;
};

struct MilpResult {
  enum class Status { kOptimal, kFeasible, kInfeasible, kNoSolutionInTime };
  Status status = Status::kInfeasible;
  Schedule schedule;  // by measure: start quarter or -1
  double objective = 0;
  // The objective's best bound when the search stopped, and the relative gap
  // |objective − bound| / max(1e-9, |objective|); 0 when optimal.
  double bound = 0;
  double gap = 0;
  double seconds = 0;
  int variables = 0;
  int rows = 0;
};
std::string_view ToString(MilpResult::Status s);

Result<MilpResult> SolveRoadmap(const RoadmapProblem& p, const MilpObjective& objective,
                                const MilpOptions& options = {});

}  // namespace fh::optimize
