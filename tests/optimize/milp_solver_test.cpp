// The roadmap's mixed-integer program against every schedule of small random catalogues,
// enumerated and judged by code written here from the rules in roadmap_problem.h — not by
// the solver's model nor by CheckSchedule.
#include "optimize/roadmap/milp_solver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace fh::optimize {
namespace {

struct Brute {
  double best = 0;
  Schedule schedule;
  int feasible = 0;
};

// The rules, written again from the header's description.
bool Feasible(const RoadmapProblem& p, const Schedule& s) {
  const int H = p.quarters;
  double total = 0;
  std::vector<double> spend(H, 0);
  std::vector<std::vector<double>> busy(H, std::vector<double>(p.resources.size(), 0));
  std::vector<std::vector<double>> cap(H, p.capacity);
  for (size_t j = 0; j < p.measures.size(); ++j) {
    const ProblemMeasure& m = p.measures[j];
    const int t = s[j];
    if (t < 0) {
      if (m.mandatory || m.start) return false;
      continue;
    }
    if (t + m.duration > H || (m.start && *m.start != t)) return false;
    for (size_t r : m.requires_)
      if (s[r] < 0 || s[r] + p.measures[r].duration > t) return false;
    for (size_t x : m.excludes)
      if (s[x] >= 0) return false;
    for (int q = t; q < H; ++q) {
      const double c = q < t + m.duration ? m.one_off / m.duration : m.running;
      spend[q] += c;
      total += c;
      for (auto [r, n] : m.people)
        if (q < t + m.duration) busy[q][r] += n;
      for (auto [r, n] : m.trains)
        if (q >= t + m.duration) cap[q][r] += n;
    }
  }
  if (p.budget_total && total > *p.budget_total + 1e-9) return false;
  for (int q = 0; q < H; ++q) {
    if (p.budget_per_quarter > 0 && spend[q] > p.budget_per_quarter + 1e-9) return false;
    for (size_t r = 0; r < p.resources.size(); ++r)
      if (busy[q][r] > cap[q][r] + 1e-9) return false;
  }
  return true;
}

double Objective(const RoadmapProblem& p, const Schedule& s, const MilpObjective& o) {
  const int H = p.quarters;
  double f = 0;
  for (size_t j = 0; j < p.measures.size(); ++j) {
    if (s[j] < 0) continue;
    const ProblemMeasure& m = p.measures[j];
    const double active = H - s[j] - m.duration;
    f += o.coefficient[0] * m.effect[0] * active / H + o.coefficient[1] * m.effect[1] * active / H +
         o.coefficient[2] * m.effect[2] * active / H + o.coefficient[4] * m.complexity +
         o.coefficient[m.family == Family::kTalent ? 5 : 3] * (m.one_off + m.running * active);
  }
  return f;
}

void Enumerate(const RoadmapProblem& p, const MilpObjective& o, Schedule& s, size_t j, Brute& out) {
  if (j == s.size()) {
    if (!Feasible(p, s)) return;
    ++out.feasible;
    const double f = Objective(p, s, o);
    if (out.schedule.empty() || f < out.best - 1e-12) {
      out.best = f;
      out.schedule = s;
    }
    return;
  }
  for (int t = -1; t + p.measures[j].duration <= p.quarters; ++t) {
    s[j] = t;
    Enumerate(p, o, s, j + 1, out);
  }
  s[j] = -1;
}

RoadmapProblem RandomProblem(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  RoadmapProblem p;
  p.quarters = 3 + static_cast<int>(rng() % 2);
  p.resources = {"spindle-maintenance", "spc"};
  p.capacity = {1, std::floor(u(rng) * 2)};
  const size_t n = 4 + rng() % 2;
  for (size_t j = 0; j < n; ++j) {
    ProblemMeasure m;
    m.id = "m" + std::to_string(j);
    m.family = static_cast<Family>(rng() % 4);
    m.duration = 1 + static_cast<int>(rng() % 2);
    m.one_off = std::round(u(rng) * 100) * 1000;
    m.running = std::round(u(rng) * 10) * 1000;
    m.complexity = static_cast<double>(rng() % 6);
    m.effect[0] = std::round(u(rng) * 40) / 10;
    m.effect[1] = u(rng) < 0.5 ? std::round(u(rng) * 30) / 10 : 0;
    m.effect[2] = u(rng) < 0.3 ? std::round(u(rng) * 200) / 10 : 0;
    if (u(rng) < 0.4) m.people.push_back({rng() % 2, 1});
    if (m.family == Family::kTalent) m.trains.push_back({rng() % 2, 1});
    if (j > 0 && u(rng) < 0.3) m.requires_.push_back(rng() % j);
    if (j > 0 && u(rng) < 0.15) {
      const size_t other = rng() % j;
      m.excludes.push_back(other);
      p.measures[other].excludes.push_back(j);
    }
    m.mandatory = u(rng) < 0.08;
    p.measures.push_back(m);
  }
  p.budget_per_quarter = 40000 + std::round(u(rng) * 80) * 1000;
  if (u(rng) < 0.5) p.budget_total = 100000 + std::round(u(rng) * 150) * 1000;
  return p;
}

TEST(RoadmapMilp, FindsTheOptimumOfEverySmallCatalogueEnumeratedExhaustively) {
  std::mt19937 rng(20261205);
  int solved = 0, infeasible = 0, chose_something = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const RoadmapProblem p = RandomProblem(rng);
    std::uniform_real_distribution<double> u(0.05, 1);
    CriteriaValues w{};
    double sum = 0;
    for (double& x : w)
      sum += (x = u(rng));
    for (double& x : w)
      x /= sum;
    const MilpObjective o = WeightedSumObjective(w, Scales(p));
    Brute brute;
    Schedule s(p.measures.size(), -1);
    Enumerate(p, o, s, 0, brute);
    auto milp = SolveRoadmap(p, o);
    ASSERT_TRUE(milp.ok()) << milp.status().ToString();
    if (brute.feasible == 0) {
      EXPECT_EQ(milp->status, MilpResult::Status::kInfeasible) << "trial " << trial;
      ++infeasible;
      continue;
    }
    ASSERT_EQ(milp->status, MilpResult::Status::kOptimal) << "trial " << trial;
    EXPECT_NEAR(milp->objective, brute.best, 1e-7) << "trial " << trial;
    EXPECT_NEAR(Objective(p, milp->schedule, o), brute.best, 1e-7) << "trial " << trial;
    EXPECT_TRUE(Feasible(p, milp->schedule)) << "trial " << trial;
    ++solved;
    for (int t : milp->schedule)
      chose_something += t >= 0;
  }
  // The random catalogues must exercise both outcomes and real choices.
  EXPECT_GT(solved, 100);
  EXPECT_GT(infeasible, 0);
  EXPECT_GT(chose_something, 100);
}

TEST(RoadmapMilp, EpsilonConstraintsBoundACriterionFromBelow) {
  RoadmapProblem p;
  p.quarters = 4;
  for (int j = 0; j < 3; ++j) {
    ProblemMeasure m;
    m.id = "m" + std::to_string(j);
    m.family = Family::kTechnology;
    m.one_off = 1000 * (j + 1);
    m.effect[0] = 2.0 * (j + 1);
    p.measures.push_back(m);
  }
  MilpObjective cheapest;
  cheapest.coefficient[3] = 1;  // minimise technology cost alone: choose nothing
  auto none = SolveRoadmap(p, cheapest);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->schedule, (Schedule{-1, -1, -1}));
  // At least 4 OEE points averaged over the horizon: m2 (6 × 3/4 = 4.5) at quarter 0 is the
  // cheapest way (m0 + m1: 1.5 + 3 = 4.5 costs 3000, the same, so either; demand 4.6).
  cheapest.at_least.push_back({0, 4.6});
  auto some = SolveRoadmap(p, cheapest);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->status, MilpResult::Status::kOptimal);
  EXPECT_GE(Totals(p, some->schedule)[0], 4.6 - 1e-9);
  EXPECT_NEAR(some->objective, 4000, 1e-6);  // m0 + m2 at quarter 0: 1.5 + 4.5 = 6
  cheapest.at_least = {{0, 100}};
  auto impossible = SolveRoadmap(p, cheapest);
  ASSERT_TRUE(impossible.ok());
  EXPECT_EQ(impossible->status, MilpResult::Status::kInfeasible);
}

TEST(RoadmapMilp, ATalentMeasureUnlocksAMeasureThatNeedsItsPeople) {
  RoadmapProblem p;
  p.quarters = 4;
  p.resources = {"spindle-maintenance"};
  p.capacity = {0};
  ProblemMeasure train{.id = "train", .family = Family::kTalent, .duration = 1, .one_off = 1000};
  train.trains = {{0, 1}};
  ProblemMeasure pdm{.id = "pdm", .family = Family::kTechnology, .duration = 1, .one_off = 1000};
  pdm.effect[0] = 5;
  pdm.people = {{0, 1}};
  p.measures = {train, pdm};
  CriteriaValues w{0.8, 0, 0, 0.2, 0, 0};
  auto plan = SolveRoadmap(p, WeightedSumObjective(w, Scales(p)));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->status, MilpResult::Status::kOptimal);
  EXPECT_EQ(plan->schedule, (Schedule{0, 1}));  // train first, then the measure
}

}  // namespace
}  // namespace fh::optimize
