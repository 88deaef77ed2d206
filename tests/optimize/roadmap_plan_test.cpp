// The roadmap planned from a catalogue and measured facts: effects computed from the
// measurements as the docs state, the AHP judgements checked, the Pareto front and the
// weight ranges verified by solving again.
#include "optimize/roadmap/roadmap_plan.h"

#include <gtest/gtest.h>

#include "optimize/roadmap/plan_html.h"
#include "optimize/roadmap/plan_json.h"
#include "optimize/roadmap/weight_sensitivity.h"

namespace fh::optimize {
namespace {

constexpr const char* kCatalogue = R"(title: test plant
horizon: { start: 2027Q1, quarters: 4 }
budget: { per_quarter: 100000 }
people: { available: { spindle-maintenance: 1 } }
weights: { efficiency: 0.5, quality: 0.2, technology_cost: 0.2, talent_cost: 0.1 }
measures:
  - id: jams
    family: P
    cost: { one_off: 20000 }
    effects:
      efficiency: { from: downtime, asset: line-1, reasons: [JAM], share: 0.5 }
  - id: pdm
    family: T
    cost: { one_off: 80000, running: 2000 }
    duration: 2
    people: { spindle-maintenance: 2 }
    effects:
      efficiency: { from: predictive_maintenance, asset: line-1, reasons: [TOOL], model: failures, share: 0.8 }
  - id: train
    family: S
    cost: { one_off: 10000 }
    trains: { spindle-maintenance: gap }
  - id: burrs
    family: P
    cost: { one_off: 15000 }
    effects:
      quality: { from: defects, characteristic: burr_check, share: 0.5 }
  - id: guess
    family: D
    cost: { one_off: 50000 }
    effects:
      data: 10
      efficiency: { from: downtime, asset: line-9, reasons: [JAM] }
)";

PlantFacts Facts() {
  PlantFacts f;
  f.from = 0;
  f.to = 30LL * 86400 * 1000000000;
  f.window = "30d";
  AssetFacts line;
  line.planned_busy_s = 100000;
  line.stop_seconds = {{"JAM", 4000}, {"TOOL", 2500}};
  line.performance = 0.9;
  line.quality = 0.95;
  line.availability = 0.9;
  f.assets["line-1"] = line;
  f.assets["line-9"].error = "no recorded states in its shifts in the window";
  f.models["failures"] = {"failures@2", 0.6, 0.5, ""};
  f.defects["burr_check"] = {200, 9, ""};
  f.people_measured = true;
  f.qualifications["spindle-maintenance"] = {1, 2, 0};
  return f;
}

TEST(RoadmapPlan, EffectsFollowTheMeasurementsAndSayWhereTheyComeFrom) {
  auto catalogue = ParseCatalogue(kCatalogue, "plan.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().ToString();
  auto plan = PlanRoadmap(*catalogue, Facts(), {.pareto_levels = 0, .sensitivity = false});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // jams: 4000 s of 100000 s = 4% of planned busy time; half removed; × P 0.9 × Q 0.95.
  const auto& jams = plan->effects[0][0];
  ASSERT_TRUE(jams.has_value());
  EXPECT_NEAR(jams->value, 100 * 0.04 * 0.5 * 0.9 * 0.95, 1e-9);
  EXPECT_TRUE(jams->measured);
  EXPECT_NE(jams->basis.find("stops JAM cost 4.0%"), std::string::npos) << jams->basis;
  // pdm: 2.5% × 0.8 × recall 0.6 × P·Q.
  EXPECT_NEAR(plan->effects[1][0]->value, 100 * 0.025 * 0.8 * 0.6 * 0.9 * 0.95, 1e-9);
  EXPECT_NE(plan->effects[1][0]->basis.find("failures@2 catches 60.0%"), std::string::npos);
  // burrs: 9 of 200 failed, half removed: 2.25 first-pass-yield points.
  EXPECT_NEAR(plan->effects[3][1]->value, 2.25, 1e-9);
  // guess: the estimate as entered; the unmeasurable effect is 0, marked, and warned of.
  EXPECT_FALSE(plan->effects[4][2]->measured);
  EXPECT_DOUBLE_EQ(plan->effects[4][2]->value, 10);
  EXPECT_NE(plan->effects[4][2]->basis.find("plan.yaml:"), std::string::npos);
  EXPECT_TRUE(plan->effects[4][0]->unknown);
  ASSERT_FALSE(plan->warnings.empty());
  EXPECT_NE(plan->warnings[0].find("line-9"), std::string::npos);
  // train closes the measured gap of 2 people; pdm needs 2 at once with 1 available, so it
  // can only run after the training.
  EXPECT_EQ(plan->problem.measures[2].trains[0].second, 2);
  EXPECT_NE(plan->trains_basis[2].find("2 for spindle-maintenance (the skill gap"),
            std::string::npos);
  const Schedule& s = plan->solution.schedule;
  if (s[1] >= 0) {
    ASSERT_GE(s[2], 0);
    EXPECT_GE(s[1], s[2] + 1);
  }
  EXPECT_EQ(plan->solution.status, MilpResult::Status::kOptimal);
  EXPECT_TRUE(CheckSchedule(plan->problem, s).ok());
  // The JSON and the page carry the plan.
  const auto json = RoadmapPlanJson(*plan);
  EXPECT_EQ(json["measures"].size(), 5u);
  EXPECT_EQ(json["weights_source"], "entered");
  EXPECT_EQ(json["measures"][0]["effects"]["efficiency"]["measured"], true);
  const std::string html = RoadmapPlanHtml(*plan);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("stops JAM cost 4.0%"), std::string::npos);
}

TEST(RoadmapPlan, ParetoPointsAreNotDominatedAndTheWeightRangesHoldWhenSolvedAgain) {
  auto catalogue = ParseCatalogue(kCatalogue, "plan.yaml");
  ASSERT_TRUE(catalogue.ok());
  auto plan = PlanRoadmap(*catalogue, Facts(), {.pareto_levels = 4, .sensitivity = true});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_GE(plan->pareto.size(), 2u);
  int chosen = 0;
  for (const ParetoPoint& a : plan->pareto) {
    chosen += a.chosen_plan;
    for (const ParetoPoint& b : plan->pareto) {
      if (&a == &b || b.chosen_plan || a.chosen_plan) continue;
      const bool dominates = b.efficiency >= a.efficiency - 1e-9 && b.quality >= a.quality - 1e-9 &&
                             b.cost <= a.cost + 1e-9 &&
                             (b.efficiency > a.efficiency + 1e-9 || b.quality > a.quality + 1e-9 ||
                              b.cost < a.cost - 1e-9);
      EXPECT_FALSE(dominates) << b.cost << " dominates " << a.cost;
    }
  }
  EXPECT_EQ(chosen, 1);
  ASSERT_EQ(plan->sensitivity.size(), kCriteria);
  const RoadmapProblem& p = plan->problem;
  const Schedule& best = plan->solution.schedule;
  const double f_best = WeightedObjective(Totals(p, best), plan->weights, plan->scales);
  int moved = 0;
  for (const WeightRange& r : plan->sensitivity) {
    EXPECT_LE(r.low, r.weight + 1e-12);
    EXPECT_GE(r.high, r.weight - 1e-12);
    // Inside the range the plan is still as good as anything the solver finds...
    for (double lambda : {r.low + 1e-6, r.high - 1e-6}) {
      if (lambda < 0 || lambda > 1) continue;
      const CriteriaValues w = MoveWeight(plan->weights, r.criterion, lambda);
      auto again = SolveRoadmap(p, WeightedSumObjective(w, plan->scales));
      ASSERT_TRUE(again.ok());
      EXPECT_LE(WeightedObjective(Totals(p, best), w, plan->scales), again->objective + 1e-9)
          << kCriterionInfo[r.criterion].name << " at " << lambda;
    }
    // ... and just outside an end that is not 0 or 1, another plan is strictly better.
    for (double lambda : {r.low - 1e-4, r.high + 1e-4}) {
      if (lambda <= 0 || lambda >= 1) continue;
      const CriteriaValues w = MoveWeight(plan->weights, r.criterion, lambda);
      auto again = SolveRoadmap(p, WeightedSumObjective(w, plan->scales));
      ASSERT_TRUE(again.ok());
      EXPECT_LT(again->objective, WeightedObjective(Totals(p, best), w, plan->scales) - 1e-12)
          << kCriterionInfo[r.criterion].name << " at " << lambda;
      ++moved;
    }
  }
  EXPECT_GT(moved, 0);  // some weight must be able to change this plan
  EXPECT_NEAR(plan->objective, f_best, 1e-12);
}

TEST(RoadmapPlan, InconsistentAhpJudgementsAreRefusedNamingThem) {
  std::string text = kCatalogue;
  text.replace(
      text.find("weights: {"), text.find('\n', text.find("weights: {")) - text.find("weights: {"),
      "weights:\n  ahp:\n"
      "    - [efficiency, quality, 9]\n    - [quality, data, 9]\n    - [data, efficiency, 9]\n"
      "    - [efficiency, technology_cost, 1]\n    - [efficiency, complexity, 1]\n"
      "    - [efficiency, talent_cost, 1]\n    - [quality, technology_cost, 1]\n"
      "    - [quality, complexity, 1]\n    - [quality, talent_cost, 1]\n"
      "    - [data, technology_cost, 1]\n    - [data, complexity, 1]\n    - [data, talent_cost, "
      "1]\n"
      "    - [technology_cost, complexity, 1]\n    - [technology_cost, talent_cost, 1]\n"
      "    - [complexity, talent_cost, 1]");
  auto catalogue = ParseCatalogue(text, "plan.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().ToString();
  auto plan = PlanRoadmap(*catalogue, Facts());
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("consistency ratio"), std::string::npos)
      << plan.status().message();
  EXPECT_NE(plan.status().message().find("plan.yaml:"), std::string::npos);
  EXPECT_NE(plan.status().message().find("written 9"), std::string::npos);
}

TEST(RoadmapCatalogue, ErrorsNameFileLineAndField) {
  struct Case {
    std::string yaml;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"measures:\n  - id: a\n    family: X\n", "plan.yaml:3:13: measure 'a'.family: 'X' is not D"},
      {"measures:\n  - id: a\n    family: D\n    duration: 0\n", "plan.yaml:4"},
      {"measures:\n  - id: a\n    family: D\n    requires: [b]\n",
       "names 'b', which is not in the catalogue"},
      {"measures:\n  - id: a\n    family: D\n  - id: a\n    family: T\n", "listed twice"},
      {"measures:\n  - id: a\n    family: D\n    effects: { technology_cost: 3 }\n",
       "not a benefit criterion"},
      {"measures:\n  - id: a\n    family: D\n    effects: { efficiency: { from: downtime } }\n",
       "needs the stop reasons"},
      {"measures:\n  - id: a\n    family: D\n    trains: { spc: 2 }\n",
       "only talent (S) measures train"},
      {"horizon: { start: 2027Q5 }\nmeasures:\n  - id: a\n    family: D\n",
       "expected a quarter like 2027Q1"},
      {"weights: { speed: 1 }\nmeasures:\n  - id: a\n    family: D\n", "unknown criterion 'speed'"},
      {"measures:\n  - id: a\n    family: D\n    colour: red\n", "unknown key 'colour'"},
      {"measures: []\n", "expected a list of candidate measures"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseCatalogue(c.yaml, "plan.yaml");
    ASSERT_FALSE(parsed.ok()) << c.yaml;
    EXPECT_NE(parsed.status().message().find(c.expect), std::string::npos)
        << c.yaml << "\n→ " << parsed.status().message();
  }
  auto cycle = ParseCatalogue(
      "measures:\n  - { id: a, family: D, requires: [b] }\n  - { id: b, family: D, requires: [a] "
      "}\n",
      "plan.yaml");
  ASSERT_TRUE(cycle.ok());
  auto planned = PlanRoadmap(*cycle, PlantFacts{});
  ASSERT_FALSE(planned.ok());
  EXPECT_NE(planned.status().message().find("requires itself"), std::string::npos);
}

TEST(RoadmapPlan, FactsNobodyMeasuredAreUnknownNotGuessed) {
  auto catalogue = ParseCatalogue(kCatalogue, "plan.yaml");
  ASSERT_TRUE(catalogue.ok());
  auto plan = PlanRoadmap(*catalogue, PlantFacts{}, {.pareto_levels = 0, .sensitivity = false});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  for (size_t j : {0, 1, 3}) {
    bool unknown = false;
    for (const auto& e : plan->effects[j])
      unknown |= e && e->unknown && e->value == 0;
    EXPECT_TRUE(unknown) << plan->problem.measures[j].id;
  }
  EXPECT_GE(plan->warnings.size(), 3u);
}

TEST(RoadmapCatalogue, WeightListsNormaliseAndRefuseUnknownCriteria) {
  auto w = ParseWeightList("efficiency=3,quality=1");
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ((*w)[0], 0.75);
  EXPECT_DOUBLE_EQ((*w)[1], 0.25);
  EXPECT_DOUBLE_EQ((*w)[3], 0);
  EXPECT_FALSE(ParseWeightList("speed=1").ok());
  EXPECT_FALSE(ParseWeightList("efficiency=-1").ok());
  EXPECT_FALSE(ParseWeightList("efficiency").ok());
  EXPECT_FALSE(ParseWeightList("efficiency=0").ok());
}

}  // namespace
}  // namespace fh::optimize
