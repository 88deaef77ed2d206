// The roadmap's mixed-integer program at scale (bench/run-plan): a seeded catalogue of N
// measures over H quarters — costs, durations of 1–3 quarters, people of eight
// qualifications, talent measures that train them, prerequisites and exclusions, a budget
// that fits about half of it — solved RUNS times with the time limit the issue sets (10 s).
// Prints one JSON line per run (status, seconds, the optimality gap, objective, chosen) and
// writes the program as MPS for the peer (bench/plan_peer.py, HiGHS through SciPy).
//
//   fh_plan_bench MEASURES QUARTERS RUNS SEED MPS_FILE
#include <cstdio>
#include <random>
#include <string>

#include <fmt/format.h>

#include "optimize/roadmap/milp_solver.h"

using namespace fh::optimize;

namespace {

RoadmapProblem Generate(int measures, int quarters, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  RoadmapProblem p;
  p.quarters = quarters;
  for (int r = 0; r < 8; ++r) {
    p.resources.push_back(fmt::format("qualification-{}", r));
    p.capacity.push_back(2 + static_cast<double>(rng() % 5));
  }
  double one_off_total = 0;
  for (int j = 0; j < measures; ++j) {
    ProblemMeasure m;
    m.id = fmt::format("m{:03d}", j);
    m.family = static_cast<Family>(j % 10 == 9 ? 3 : rng() % 3);
    m.duration = 1 + static_cast<int>(rng() % 3);
    m.one_off = std::round(20 + u(rng) * 280) * 1000;
    m.running = std::round(u(rng) * 12) * 1000;
    m.complexity = 1 + static_cast<double>(rng() % 5);
    m.effect[0] = std::round(u(rng) * 30) / 10;                     // OEE points
    m.effect[1] = u(rng) < 0.5 ? std::round(u(rng) * 20) / 10 : 0;  // FPY points
    m.effect[2] = u(rng) < 0.3 ? std::round(u(rng) * 100) / 10 : 0;
    if (m.family == Family::kTalent) {
      m.effect = {};
      m.trains.push_back({rng() % 8, 1 + static_cast<double>(rng() % 3)});
    } else if (u(rng) < 0.4) {
      m.people.push_back({rng() % 8, 1 + static_cast<double>(rng() % 2)});
    }
    if (j >= 5 && u(rng) < 0.3) m.requires_.push_back(j - 1 - rng() % std::min(j, 20));
    one_off_total += m.one_off;
    p.measures.push_back(std::move(m));
  }
  for (int k = 0; k < measures / 20; ++k) {
    const size_t a = rng() % measures, b = rng() % measures;
    if (a == b) continue;
    p.measures[a].excludes.push_back(b);
    p.measures[b].excludes.push_back(a);
  }
  p.budget_per_quarter = std::round(one_off_total / quarters * 0.5 / 1000) * 1000;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: fh_plan_bench MEASURES QUARTERS RUNS SEED MPS_FILE\n");
    return 2;
  }
  const int measures = std::stoi(argv[1]), quarters = std::stoi(argv[2]), runs = std::stoi(argv[3]);
  const RoadmapProblem p = Generate(measures, quarters, std::stoull(argv[4]));
  CriteriaValues w = {0.3, 0.2, 0.1, 0.2, 0.1, 0.1};
  const MilpObjective objective = WeightedSumObjective(w, Scales(p));
  for (int run = 0; run < runs; ++run) {
    MilpOptions options;
    options.time_limit_s = 10;
    options.relative_gap = 1e-4;
    if (run == 0) options.write_mps = argv[5];
    auto r = SolveRoadmap(p, objective, options);
    if (!r.ok()) {
      std::fprintf(stderr, "fh_plan_bench: %s\n", r.status().ToString().c_str());
      return 1;
    }
    int chosen = 0;
    for (int t : r->schedule)
      chosen += t >= 0;
    fmt::print(
        "{{\"status\": \"{}\", \"seconds\": {:.4f}, \"gap\": {:.6f}, \"objective\": {:.8f}, "
        "\"bound\": {:.8f}, "
        "\"chosen\": {}, \"variables\": {}, \"rows\": {}}}\n",
        ToString(r->status), r->seconds, r->gap, r->objective, r->bound, chosen, r->variables,
        r->rows);
    std::fflush(stdout);
  }
  return 0;
}
