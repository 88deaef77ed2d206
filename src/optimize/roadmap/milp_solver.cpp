#include "optimize/roadmap/milp_solver.h"

#include <glpk.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

namespace fh::optimize {

std::string_view ToString(MilpResult::Status s) {
  switch (s) {
    case MilpResult::Status::kOptimal:
      return "optimal";
    case MilpResult::Status::kFeasible:
      return "feasible";
    case MilpResult::Status::kInfeasible:
      return "infeasible";
    case MilpResult::Status::kNoSolutionInTime:
      return "no solution in time";
  }
  return "?";
}

MilpObjective WeightedSumObjective(const CriteriaValues& weights, const CriteriaValues& scales) {
  MilpObjective o;
  for (size_t i = 0; i < kCriteria; ++i)
    o.coefficient[i] = (kCriterionInfo[i].benefit ? -1 : 1) * weights[i] / scales[i];
  return o;
}

namespace {

struct GlpProblemDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// GLPK keeps an environment per thread, made on first use and never freed unless asked: a
// server thread that planned once would keep it until it exits, and a leak checker sees it.
// Each solve frees it when done (after its problem), as nothing else here uses GLPK.
struct GlpEnvironment {
  GlpEnvironment() = default;
  GlpEnvironment(const GlpEnvironment&) = delete;
  GlpEnvironment& operator=(const GlpEnvironment&) = delete;
  ~GlpEnvironment() { glp_free_env(); }
};

// Rows built as sparse lists, then loaded at once (GLPK's arrays are 1-based).
class RowBuilder {
 public:
  explicit RowBuilder(glp_prob* lp) : lp_(lp) {}
  // Adds a row lo ≤ Σ coef·x ≤ hi over (column, coefficient) pairs; skipped when empty.
  void Add(const std::vector<std::pair<int, double>>& terms, int type, double lo, double hi) {
    if (terms.empty()) return;
    const int row = glp_add_rows(lp_, 1);
    glp_set_row_bnds(lp_, row, type, lo, hi);
    for (auto [col, coef] : terms) {
      if (coef == 0) continue;
      ia_.push_back(row);
      ja_.push_back(col);
      ar_.push_back(coef);
    }
  }
  void Load() {
    glp_load_matrix(lp_, static_cast<int>(ia_.size()) - 1, ia_.data(), ja_.data(), ar_.data());
  }

 private:
  glp_prob* lp_;
  std::vector<int> ia_{0};
  std::vector<int> ja_{0};
  std::vector<double> ar_{0};
};

struct SearchProgress {
  double bound = std::numeric_limits<double>::quiet_NaN();
};

// GLPK calls this at each step of the branch and cut: keep the best bound so that a search
// stopped by the time limit can say how far from optimal its answer may be.
void TrackBound(glp_tree* tree, void* info) {
  auto* progress = static_cast<SearchProgress*>(info);
  const int reason = glp_ios_reason(tree);
  if (reason != GLP_ISELECT && reason != GLP_IBINGO && reason != GLP_IBRANCH) return;
  const int node = glp_ios_best_node(tree);
  if (node == 0) return;
  const double bound = glp_ios_node_bound(tree, node);
  if (std::isfinite(bound) && std::abs(bound) < 1e300) progress->bound = bound;
}

}  // namespace

Result<MilpResult> SolveRoadmap(const RoadmapProblem& p, const MilpObjective& objective,
                                const MilpOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const int H = p.quarters;
  const size_t n = p.measures.size();
  for (size_t r = 0; r < p.capacity.size(); ++r)
    if (!(p.capacity[r] >= 0))
      return InvalidArgument("capacity of '{}' is negative", p.resources[r]);
  const GlpEnvironment environment;  // declared before `owner`, so destroyed after it
  glp_term_out(GLP_OFF);             // the library prints to stdout by default
  std::unique_ptr<glp_prob, GlpProblemDeleter> owner(glp_create_prob());
  glp_prob* lp = owner.get();
  glp_set_obj_dir(lp, GLP_MIN);

  // column[j][t]: the column of x[j][t], 0 when the start is not allowed.
  std::vector<std::vector<int>> column(n, std::vector<int>(H, 0));
  for (size_t j = 0; j < n; ++j) {
    const ProblemMeasure& m = p.measures[j];
    for (int t = 0; t + m.duration <= H; ++t) {
      if (m.start && *m.start != t) continue;
      const int col = glp_add_cols(lp, 1);
      glp_set_col_kind(lp, col, GLP_BV);
      const CriteriaValues c = Contribution(m, t, H);
      double cost = 0;
      for (size_t i = 0; i < kCriteria; ++i)
        cost += objective.coefficient[i] * c[i];
      glp_set_obj_coef(lp, col, cost);
      column[j][t] = col;
    }
  }
  RowBuilder rows(lp);
  std::vector<std::pair<int, double>> terms;
  // Each measure at most once; exactly once when mandatory or already committed.
  for (size_t j = 0; j < n; ++j) {
    terms.clear();
    for (int t = 0; t < H; ++t)
      if (column[j][t]) terms.push_back({column[j][t], 1});
    const ProblemMeasure& m = p.measures[j];
    if (terms.empty()) {
      if (m.mandatory || m.start)
        return InvalidArgument("'{}' is mandatory but takes {} quarters, longer than the horizon",
                               m.id, m.duration);
      continue;
    }
    if (m.mandatory || m.start)
      rows.Add(terms, GLP_FX, 1, 1);
    else
      rows.Add(terms, GLP_UP, 0, 1);
  }
  // Spend per quarter, and over the horizon.
  if (p.budget_per_quarter > 0) {
    for (int q = 0; q < H; ++q) {
      terms.clear();
      for (size_t j = 0; j < n; ++j)
        for (int t = 0; t <= q; ++t)
          if (column[j][t]) terms.push_back({column[j][t], SpendAt(p.measures[j], q - t)});
      rows.Add(terms, GLP_UP, 0, p.budget_per_quarter);
    }
  }
  if (p.budget_total) {
    terms.clear();
    for (size_t j = 0; j < n; ++j)
      for (int t = 0; t < H; ++t)
        if (column[j][t]) {
          double spend = 0;
          for (int q = t; q < H; ++q)
            spend += SpendAt(p.measures[j], q - t);
          terms.push_back({column[j][t], spend});
        }
    rows.Add(terms, GLP_UP, 0, *p.budget_total);
  }
  // People: busy ones within those available and those trained by finished measures.
  for (size_t r = 0; r < p.resources.size(); ++r) {
    bool needed = false;
    for (const ProblemMeasure& m : p.measures)
      for (auto [res, count] : m.people)
        needed |= res == r && count > 0;
    if (!needed) continue;
    for (int q = 0; q < H; ++q) {
      terms.clear();
      for (size_t j = 0; j < n; ++j) {
        const ProblemMeasure& m = p.measures[j];
        for (int t = 0; t < H; ++t) {
          if (!column[j][t]) continue;
          double coef = 0;
          if (q >= t && q < t + m.duration)
            for (auto [res, count] : m.people)
              if (res == r) coef += count;
          if (q >= t + m.duration)
            for (auto [res, count] : m.trains)
              if (res == r) coef -= count;
          if (coef != 0) terms.push_back({column[j][t], coef});
        }
      }
      rows.Add(terms, GLP_UP, 0, p.capacity[r]);
    }
  }
  // Prerequisites: started by t only if each prerequisite finished by t.
  for (size_t j = 0; j < n; ++j) {
    for (size_t i : p.measures[j].requires_) {
      for (int t = 0; t < H; ++t) {
        if (!column[j][t]) continue;
        terms.clear();
        for (int u = 0; u <= t; ++u)
          if (column[j][u]) terms.push_back({column[j][u], 1});
        for (int u = 0; u + p.measures[i].duration <= t; ++u)
          if (column[i][u]) terms.push_back({column[i][u], -1});
        rows.Add(terms, GLP_UP, 0, 0);
      }
    }
    for (size_t i : p.measures[j].excludes) {
      if (i < j) continue;  // each pair once
      terms.clear();
      for (int t = 0; t < H; ++t) {
        if (column[j][t]) terms.push_back({column[j][t], 1});
        if (column[i][t]) terms.push_back({column[i][t], 1});
      }
      rows.Add(terms, GLP_UP, 0, 1);
    }
  }
  // ε-constraints.
  for (auto [criterion, minimum] : objective.at_least) {
    terms.clear();
    for (size_t j = 0; j < n; ++j)
      for (int t = 0; t < H; ++t)
        if (column[j][t])
          terms.push_back({column[j][t], Contribution(p.measures[j], t, H)[criterion]});
    if (terms.empty()) {
      if (minimum > 0) return MilpResult{MilpResult::Status::kInfeasible};
      continue;
    }
    rows.Add(terms, GLP_LO, minimum, 0);
  }
  rows.Load();
  if (!options.write_mps.empty() &&
      glp_write_mps(lp, GLP_MPS_FILE, nullptr, options.write_mps.c_str()) != 0)
    return IOError("{}: cannot write the program as MPS", options.write_mps);

  MilpResult out;
  out.variables = glp_get_num_cols(lp);
  out.rows = glp_get_num_rows(lp);
  out.schedule.assign(n, -1);
  if (out.variables == 0) {
    out.status = MilpResult::Status::kOptimal;
    return out;
  }
  SearchProgress progress;
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;  // solves the LP relaxation itself
  // Measured on bench/plan_bench.cpp's 200 measures × 12 quarters (docs/benchmarks.md): with
  // pseudocost branching, best-projection backtracking and the MIR, cover and clique cuts the
  // gap at 10 s is 0.7%, against 1.7% with GLPK's defaults plus Gomory cuts (which cost more
  // than they cut here). Proximity search is left off: it ignores the time limit.
  parm.mir_cuts = GLP_ON;
  parm.cov_cuts = GLP_ON;
  parm.clq_cuts = GLP_ON;
  parm.fp_heur = GLP_ON;  // the feasibility pump finds a first plan early on big catalogues
  parm.br_tech = GLP_BR_PCH;
  parm.bt_tech = GLP_BT_BPH;
  parm.mip_gap = options.relative_gap;
  parm.tm_lim = static_cast<int>(std::max(1.0, options.time_limit_s * 1000));
  parm.cb_func = TrackBound;
  parm.cb_info = &progress;
  const int ret = glp_intopt(lp, &parm);
  const int status = glp_mip_status(lp);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (ret == GLP_ENOPFS || status == GLP_NOFEAS) {
    out.status = MilpResult::Status::kInfeasible;
    return out;
  }
  if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP)
    return Internal("GLPK's branch and cut failed (glp_intopt returned {})", ret);
  if (status != GLP_OPT && status != GLP_FEAS) {
    out.status =
        ret == GLP_ETMLIM ? MilpResult::Status::kNoSolutionInTime : MilpResult::Status::kInfeasible;
    return out;
  }
  out.status = status == GLP_OPT ? MilpResult::Status::kOptimal : MilpResult::Status::kFeasible;
  out.objective = glp_mip_obj_val(lp);
  for (size_t j = 0; j < n; ++j)
    for (int t = 0; t < H; ++t)
      if (column[j][t] && glp_mip_col_val(lp, column[j][t]) > 0.5) out.schedule[j] = t;
  out.bound = out.objective;
  if (out.status != MilpResult::Status::kOptimal && std::isfinite(progress.bound)) {
    out.bound = progress.bound;
    out.gap = std::abs(out.objective - out.bound) / std::max(1e-9, std::abs(out.objective));
  }
  // The model and the rules are written twice (rows here, CheckSchedule there): a plan that
  // breaks a rule is a bug in one of them, and must not reach a person.
  if (Status ok = CheckSchedule(p, out.schedule); !ok.ok())
    return Internal("the solver's roadmap breaks a rule: {}", ok.message());
  return out;
}

}  // namespace fh::optimize
