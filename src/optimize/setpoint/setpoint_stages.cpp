#include "optimize/setpoint/setpoint_stages.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fh::optimize::setpoint {
namespace setpoint_detail {

std::vector<std::vector<double>> SpaceFilling(const Space& space, size_t n, uint64_t seed) {
  static constexpr int kPrimes[] = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31,
                                    37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79};
  ml::SplitMix64 rng(seed);
  std::vector<double> shift(space.free.size());
  for (double& s : shift)
    s = static_cast<double>(rng.Below(1u << 30)) / static_cast<double>(1u << 30);
  std::vector<std::vector<double>> out;
  for (size_t k = 1; k <= n; ++k) {
    std::vector<double> z(space.free.size());
    for (size_t j = 0; j < z.size(); ++j) {
      const int p = kPrimes[j % std::size(kPrimes)];
      double f = 1, h = 0;
      for (size_t i = k; i > 0; i /= static_cast<size_t>(p)) {
        f /= p;
        h += f * static_cast<double>(i % static_cast<size_t>(p));
      }
      const double u = std::fmod(h + shift[j], 1.0);
      z[j] = space.lower[j] + u * (space.upper[j] - space.lower[j]);
    }
    out.push_back(space.Full(z.data()));
  }
  return out;
}

// What NLopt's callbacks see.
struct Call {
  Evaluator* ev = nullptr;
  const Space* space = nullptr;
  nlopt_opt opt = nullptr;
  Status error = Status::Ok();
  // Bound-only methods (DIRECT): constraints as a penalty above every feasible value.
  bool penalised = false;
  double penalty = 0;
  int64_t budget = 0;  // the evaluator's count at which to stop
};

double Penalised(const Call& call, const Candidate& c) {
  if (!call.penalised || c.violation == 0) return c.objective;
  return call.penalty * (1 + c.violation);
}

// The relative step of central differences: the model reads float32 inputs (about 7 digits),
// so the step must move them well beyond their rounding.
constexpr double kDiffStep = 1e-4;

// The point z as full inputs and, for a gradient, its 2n central-difference neighbours
// (+h, −h along each free control): one batch, one Predict call.
std::vector<std::vector<double>> PointAndNeighbours(const Space& space, const double* z, unsigned n,
                                                    bool with_gradient) {
  std::vector<std::vector<double>> xs{space.Full(z)};
  if (!with_gradient) return xs;
  for (unsigned j = 0; j < n; ++j) {
    const double h = kDiffStep * (space.upper[j] - space.lower[j]);
    std::vector<double> zp(z, z + n), zm(z, z + n);
    zp[j] += h;
    zm[j] -= h;
    xs.push_back(space.Full(zp.data()));
    xs.push_back(space.Full(zm.data()));
  }
  return xs;
}

double ObjectiveFn(unsigned n, const double* z, double* grad, void* data) {
  Call& call = *static_cast<Call*>(data);
  if (call.ev->evaluations >= call.budget) {
    nlopt_force_stop(call.opt);
  }
  const std::vector<std::vector<double>> xs =
      PointAndNeighbours(*call.space, z, n, grad != nullptr);
  // One Predict call for the point and its 2n neighbours.
  Result<std::vector<Candidate>> r = call.ev->Evaluate(xs, true);
  if (!r.ok()) {
    call.error = r.status();
    nlopt_force_stop(call.opt);
    return kInf;
  }
  if (grad) {
    for (unsigned j = 0; j < n; ++j) {
      // Snapping clamps at the bounds: divide by the step actually taken.
      const size_t c = call.space->free[j];
      const double dx = (*r)[1 + 2 * j].x[c] - (*r)[2 + 2 * j].x[c];
      grad[j] = dx > 0 ? ((*r)[1 + 2 * j].objective - (*r)[2 + 2 * j].objective) / dx : 0;
    }
  }
  const double f = Penalised(call, (*r)[0]);
  return std::isnan(f) ? kInf : f;
}

void ConstraintsFn(unsigned m, double* result, unsigned n, const double* z, double* grad,
                   void* data) {
  Call& call = *static_cast<Call*>(data);
  const std::vector<std::vector<double>> xs =
      PointAndNeighbours(*call.space, z, n, grad != nullptr);
  // Constraints read the inputs and features only: no prediction, no evaluation counted.
  Result<std::vector<Candidate>> r = call.ev->Evaluate(xs, false);
  if (!r.ok()) {
    call.error = r.status();
    nlopt_force_stop(call.opt);
    std::fill(result, result + m, 0.0);
    return;
  }
  for (unsigned i = 0; i < m; ++i)
    result[i] = (*r)[0].rows[i];
  if (grad) {
    for (unsigned j = 0; j < n; ++j) {
      const size_t c = call.space->free[j];
      const double dx = (*r)[1 + 2 * j].x[c] - (*r)[2 + 2 * j].x[c];
      for (unsigned i = 0; i < m; ++i) {
        grad[i * n + j] = dx > 0 ? ((*r)[1 + 2 * j].rows[i] - (*r)[2 + 2 * j].rows[i]) / dx : 0;
      }
    }
  }
}

// Runs one NLopt algorithm from `start` (the free controls) for at most `max_rows` more
// predicted rows. Returns what it stopped with, for the report.
Result<std::string> RunNlopt(nlopt_algorithm algorithm, Evaluator& ev, const Space& space,
                             std::vector<double> start, int64_t max_rows, bool penalised,
                             double penalty) {
  const unsigned n = static_cast<unsigned>(space.free.size());
  const int64_t rows_per_call =
      (algorithm == NLOPT_LD_SLSQP || algorithm == NLOPT_LD_MMA) ? 2 * n + 1 : 1;
  if (max_rows < rows_per_call * 2) return std::string("no budget left");
  nlopt_opt opt = nlopt_create(algorithm, n);
  if (!opt) return Internal("NLopt could not create {}", nlopt_algorithm_name(algorithm));
  Call call{&ev, &space, opt, Status::Ok(), penalised, penalty, ev.evaluations + max_rows};
  nlopt_set_lower_bounds(opt, space.lower.data());
  nlopt_set_upper_bounds(opt, space.upper.data());
  nlopt_set_min_objective(opt, ObjectiveFn, &call);
  const size_t m = ev.constraints.size() == 0 && ev.envelope_rows.empty() ? 0 : [&] {
    size_t rows = ev.envelope_rows.size() * 2;
    for (const Constraint& c : ev.spec->constraints)
      rows += (c.min ? 1 : 0) + (c.max ? 1 : 0);
    return rows;
  }();
  if (!penalised && m > 0) {
    const std::vector<double> tol(m, 1e-9);
    nlopt_add_inequality_mconstraint(opt, static_cast<unsigned>(m), ConstraintsFn, &call,
                                     tol.data());
  }
  nlopt_set_maxeval(opt, static_cast<int>(max_rows / rows_per_call));
  // DIRECT runs its budget: on a tree's plateaus successive values are often equal, which a
  // tolerance on the objective would take for convergence.
  if (algorithm != NLOPT_GN_DIRECT_L) {
    nlopt_set_xtol_rel(opt, 1e-7);
    nlopt_set_ftol_abs(opt, 1e-12);
  }
  if (algorithm == NLOPT_LN_COBYLA) {
    // A tenth of each range: big enough to step off a tree's plateau.
    std::vector<double> dx(n);
    for (unsigned j = 0; j < n; ++j)
      dx[j] = 0.1 * (space.upper[j] - space.lower[j]);
    nlopt_set_initial_step(opt, dx.data());
  }
  for (unsigned j = 0; j < n; ++j)
    start[j] = std::clamp(start[j], space.lower[j], space.upper[j]);
  double f = 0;
  const nlopt_result result = nlopt_optimize(opt, start.data(), &f);
  nlopt_destroy(opt);
  if (!call.error.ok()) return call.error;
  return std::string(nlopt_result_to_string(result));
}

std::vector<double> FreeOf(const Space& space, const std::vector<double>& x) {
  std::vector<double> z;
  for (size_t j : space.free)
    z.push_back(x[j]);
  return z;
}

Status SearchPiecewiseConstant(Evaluator& ev, const Space& space,
                               const std::vector<Candidate>& sampled, int64_t budget, uint64_t seed,
                               std::vector<std::string>& ran) {
  const size_t d = space.free.size();
  // Tree ensembles are piecewise constant: the gradient is zero almost everywhere and
  // undefined at the splits, so a gradient method stalls where it starts. Four stages, each
  // deterministic:
  // 1. the space-filling sample above, one batch: the box's coarse picture;
  // 2. DIRECT-L (Gablonsky and Kelley's locally biased DIRECT, NLOPT_GN_DIRECT_L), two fifths
  //    of what is left: divides the box systematically towards its best regions, needs no
  //    gradient and no random numbers, and suits the few controls a set-point problem has. It
  //    takes bounds only, so constraints and the training data's range enter as a penalty
  //    above every feasible value. (ISRES takes constraints, but is stochastic and needs far
  //    more evaluations for the same precision.)
  // 3. batches around the best point, then lines through it (below);
  // 4. COBYLA (NLOPT_LN_COBYLA) with the constraints as such, which lands exactly on an
  //    active constraint that the penalty, the boxes and the lines approach only to their
  //    resolution.
  double worst = 1;
  for (const Candidate& c : sampled)
    if (std::isfinite(c.objective)) worst = std::max(worst, std::abs(c.objective));
  const int64_t direct_rows = (budget - ev.evaluations) * 2 / 5;
  std::vector<double> mid(d);
  for (size_t j = 0; j < d; ++j)
    mid[j] = (space.lower[j] + space.upper[j]) / 2;
  FH_ASSIGN_OR_RETURN(const std::string stopped, RunNlopt(NLOPT_GN_DIRECT_L, ev, space, mid,
                                                          direct_rows, true, 10 * worst + 1e3));
  ran.push_back(fmt::format("NLOPT_GN_DIRECT_L ({})", stopped));
  // Then batches around the best point (Luus and Jaakola's shrinking boxes): 64 points of the
  // seeded sequence in a box a quarter of the range wide, one Predict call each; the box
  // follows every improvement and shrinks when a batch brings none. A tree ensemble's lowest
  // risk often sits in a pocket a few percent of the range across, which this finds near
  // DIRECT's best; and each control in turn over a fine line of values (a tree's splits are
  // thresholds on single features, which a line crosses). The boxes run until the lines'
  // and COBYLA's shares are left.
  const int64_t reserve = std::min<int64_t>(budget / 10, 200);
  int sweeps = 0, boxes = 0;
  double half = 0.125;
  uint64_t box_seed = seed;
  while (ev.best && budget - ev.evaluations - reserve - 64 * static_cast<int64_t>(d) >= 64) {
    const double before = ev.best->objective;
    Space box = space;
    for (size_t j = 0; j < d; ++j) {
      const double w = half * (space.upper[j] - space.lower[j]);
      const double at = ev.best->x[space.free[j]];
      box.lower[j] = std::max(space.lower[j], at - w);
      box.upper[j] = std::min(space.upper[j], at + w);
    }
    box.fixed = ev.best->x;
    FH_RETURN_IF_ERROR(ev.Evaluate(SpaceFilling(box, 64, ++box_seed), true).status());
    ++boxes;
    // A box that brings nothing shrinks; a tiny one starts again wide, with new points.
    if (!(ev.best->objective < before)) half *= 0.7;
    if (half < 0.01) half = 0.25;
  }
  for (int round = 0; round < 4 && ev.best; ++round) {
    const double before = ev.best->objective;
    for (size_t j = 0; j < d; ++j) {
      if (budget - ev.evaluations - reserve < 64) break;
      const std::vector<double> at = ev.best->x;
      const size_t c = space.free[j];
      const double width = space.upper[j] - space.lower[j];
      std::vector<std::vector<double>> line;
      for (int k = 0; k < 48; ++k) {
        line.push_back(at);
        line.back()[c] = space.lower[j] + width * k / 47.0;
      }
      for (int k = -8; k <= 8; ++k) {
        if (k == 0) continue;
        line.push_back(at);
        line.back()[c] = at[c] + width * 0.05 * k / 8.0;
      }
      FH_RETURN_IF_ERROR(ev.Evaluate(line, true).status());
      ++sweeps;
    }
    if (!(ev.best->objective < before)) break;
  }
  if (boxes > 0) ran.push_back(fmt::format("{} boxes", boxes));
  if (sweeps > 0) ran.push_back(fmt::format("{} line sweeps", sweeps));
  if (ev.best || ev.least_violating) {
    const Candidate& from = ev.best ? *ev.best : *ev.least_violating;
    FH_RETURN_IF_ERROR(RunNlopt(NLOPT_LN_COBYLA, ev, space, FreeOf(space, from.x),
                                budget - ev.evaluations, false, 0)
                           .status());
    ran.push_back("NLOPT_LN_COBYLA");
  }
  return Status::Ok();
}

Status SearchSmooth(Evaluator& ev, const Space& space, const std::vector<Candidate>& sampled,
                    const std::vector<double>& current_x, int64_t budget,
                    std::vector<std::string>& ran) {
  // Smooth models (linear, logistic, networks): SLSQP, sequential quadratic programming with
  // the constraints linearised, converges in tens of evaluations from a good start;
  // gradients by central differences, a point and its 2n neighbours in one Predict call.
  // Several starts (the current point, the sample's best) guard against a network's local
  // minima.
  std::vector<const Candidate*> order;
  for (const Candidate& c : sampled)
    if (std::isfinite(c.objective)) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
    return std::make_pair(a->violation, a->objective) < std::make_pair(b->violation, b->objective);
  });
  std::vector<std::vector<double>> starts;
  if (!current_x.empty()) starts.push_back(FreeOf(space, ev.Snap(current_x)));
  for (const Candidate* c : order) {
    if (starts.size() >= 4) break;
    starts.push_back(FreeOf(space, c->x));
  }
  int runs = 0;
  for (size_t s = 0; s < starts.size(); ++s) {
    const int64_t left = budget - ev.evaluations;
    const int64_t share = left / static_cast<int64_t>(starts.size() - s);
    FH_ASSIGN_OR_RETURN(std::string st,
                        RunNlopt(NLOPT_LD_SLSQP, ev, space, starts[s], share, false, 0));
    if (st != "no budget left") ++runs;
  }
  ran.push_back(fmt::format("NLOPT_LD_SLSQP x {} starts", runs));
  return Status::Ok();
}

}  // namespace setpoint_detail
}  // namespace fh::optimize::setpoint
