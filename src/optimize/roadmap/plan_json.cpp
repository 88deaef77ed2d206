#include "optimize/roadmap/plan_json.h"

#include <cmath>

#include "common/time.h"

namespace fh::optimize {

namespace {

nlohmann::ordered_json Optional(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nullptr;
}

// NaN and infinities have no JSON form; the plan never should hold them, but a number that
// cannot be written must not break the document.
nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr;
}

nlohmann::ordered_json MeasureJson(const RoadmapPlan& plan, size_t j) {
  const Catalogue& c = plan.catalogue;
  const Measure& m = c.measures[j];
  const ProblemMeasure& pm = plan.problem.measures[j];
  const int start = plan.solution.schedule[j];
  nlohmann::ordered_json effects = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kCriteria; ++i) {
    const auto& e = plan.effects[j][i];
    if (!e) continue;
    effects[std::string(kCriterionInfo[i].name)] = {{"value", Number(e->value)},
                                                    {"measured", e->measured},
                                                    {"unknown", e->unknown},
                                                    {"basis", e->basis}};
  }
  nlohmann::ordered_json people = nlohmann::ordered_json::object();
  for (const auto& [code, n] : m.people)
    people[code] = n;
  nlohmann::ordered_json trains = nlohmann::ordered_json::object();
  for (auto [r, n] : pm.trains)
    trains[plan.problem.resources[r]] = n;
  nlohmann::ordered_json doc = {
      {"id", m.id},
      {"name", m.name},
      {"family", std::string(FamilyLetter(m.family))},
      {"chosen", start >= 0},
      {"start", start >= 0 ? nlohmann::ordered_json(c.QuarterLabel(start)) : nullptr},
      {"end",
       start >= 0 ? nlohmann::ordered_json(c.QuarterLabel(start + m.duration - 1)) : nullptr},
      {"start_index", start >= 0 ? nlohmann::ordered_json(start) : nullptr},
      {"duration", m.duration},
      {"one_off", m.one_off},
      {"running", m.running},
      {"complexity", m.complexity},
      {"people", std::move(people)},
      {"trains", std::move(trains)},
      {"trains_basis", plan.trains_basis[j]},
      {"requires", m.requires_},
      {"excludes", m.excludes},
      {"mandatory", m.mandatory},
      {"effects", std::move(effects)},
      {"where", m.where}};
  doc["contribution"] =
      start >= 0 ? CriteriaJson(Contribution(pm, start, plan.problem.quarters)) : nullptr;
  if (j < plan.topsis.size())
    doc["topsis"] = {{"score", Number(plan.topsis[j].score)}, {"rank", plan.topsis[j].rank}};
  if (j < plan.weighted_sum.size())
    doc["weighted_sum"] = {{"score", Number(plan.weighted_sum[j].score)},
                           {"rank", plan.weighted_sum[j].rank}};
  return doc;
}

}  // namespace

nlohmann::ordered_json CriteriaJson(const CriteriaValues& values) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kCriteria; ++i)
    doc[std::string(kCriterionInfo[i].name)] = Number(values[i]);
  return doc;
}

nlohmann::ordered_json RoadmapPlanJson(const RoadmapPlan& plan) {
  const Catalogue& c = plan.catalogue;
  const RoadmapProblem& p = plan.problem;
  nlohmann::ordered_json labels = nlohmann::ordered_json::array();
  for (int q = 0; q < c.quarters; ++q)
    labels.push_back(c.QuarterLabel(q));
  const AssetFacts& base = plan.facts.plant;
  nlohmann::ordered_json baseline = {
      {"window", plan.facts.window},
      {"from", FormatRfc3339(plan.facts.from)},
      {"to", FormatRfc3339(plan.facts.to)},
      {"oee", Optional(base.oee)},
      {"availability", Optional(base.availability)},
      {"performance", Optional(base.performance)},
      {"quality", Optional(base.quality)},
      {"scrap_ratio", Optional(base.scrap_ratio)},
      {"error", base.error.empty() ? nullptr : nlohmann::ordered_json(base.error)}};
  nlohmann::ordered_json criteria = nlohmann::ordered_json::array();
  for (size_t i = 0; i < kCriteria; ++i) {
    const CriterionInfo& info = kCriterionInfo[i];
    criteria.push_back({{"name", std::string(info.name)},
                        {"symbol", std::string(info.symbol)},
                        {"benefit", info.benefit},
                        {"unit", info.unit == "currency" ? c.currency : std::string(info.unit)},
                        {"weight", Number(plan.weights[i])},
                        {"scale", Number(plan.scales[i])},
                        {"total", Number(plan.totals[i])}});
  }
  nlohmann::ordered_json ahp = nullptr;
  if (plan.ahp) {
    nlohmann::ordered_json worst = nlohmann::ordered_json::array();
    for (const InconsistentJudgement& w : plan.ahp->worst)
      worst.push_back({{"more", w.row},
                       {"less", w.column},
                       {"written", w.written},
                       {"implied", Number(w.implied)},
                       {"where", w.where}});
    ahp = {{"lambda_max", Number(plan.ahp->lambda_max)},
           {"consistency_index", Number(plan.ahp->consistency_index)},
           {"random_index", plan.ahp->random_index},
           {"consistency_ratio", Number(plan.ahp->consistency_ratio)},
           {"worst", std::move(worst)}};
  }
  const MilpResult& r = plan.solution;
  nlohmann::ordered_json measures = nlohmann::ordered_json::array();
  for (size_t j = 0; j < c.measures.size(); ++j)
    measures.push_back(MeasureJson(plan, j));
  nlohmann::ordered_json quarters = nlohmann::ordered_json::array();
  for (int q = 0; q < c.quarters; ++q)
    quarters.push_back(
        {{"label", c.QuarterLabel(q)},
         {"spend", Number(plan.spend_per_quarter[q])},
         {"budget",
          c.budget_per_quarter > 0 ? nlohmann::ordered_json(c.budget_per_quarter) : nullptr}});
  nlohmann::ordered_json people = nlohmann::ordered_json::array();
  for (size_t k = 0; k < p.resources.size(); ++k)
    people.push_back({{"qualification", p.resources[k]},
                      {"available", Number(p.capacity[k])},
                      {"basis", plan.capacity_basis[k]},
                      {"busy", plan.people_per_quarter[k]},
                      {"capacity", plan.capacity_per_quarter[k]}});
  nlohmann::ordered_json pareto = nlohmann::ordered_json::array();
  for (const ParetoPoint& point : plan.pareto)
    pareto.push_back({{"efficiency", Number(point.efficiency)},
                      {"quality", Number(point.quality)},
                      {"cost", Number(point.cost)},
                      {"measures", point.measures},
                      {"chosen", point.chosen_plan}});
  nlohmann::ordered_json sensitivity = nlohmann::ordered_json::array();
  for (const WeightRange& w : plan.sensitivity)
    sensitivity.push_back({{"criterion", std::string(kCriterionInfo[w.criterion].name)},
                           {"weight", Number(w.weight)},
                           {"low", Number(w.low)},
                           {"high", Number(w.high)},
                           {"below", {{"adds", w.below_adds}, {"drops", w.below_drops}}},
                           {"above", {{"adds", w.above_adds}, {"drops", w.above_drops}}}});
  return {{"title", c.title},
          {"catalogue", c.file},
          {"horizon",
           {{"start", c.QuarterLabel(0)}, {"quarters", c.quarters}, {"labels", std::move(labels)}}},
          {"currency", c.currency},
          {"budget",
           {{"per_quarter",
             c.budget_per_quarter > 0 ? nlohmann::ordered_json(c.budget_per_quarter) : nullptr},
            {"total", Optional(c.budget_total)}}},
          {"baseline", std::move(baseline)},
          {"weights", CriteriaJson(plan.weights)},
          {"weights_source", plan.weights_source},
          {"ahp", std::move(ahp)},
          {"criteria", std::move(criteria)},
          {"objective", Number(plan.objective)},
          {"solver",
           {{"status", std::string(ToString(r.status))},
            {"objective", Number(r.objective)},
            {"bound", Number(r.bound)},
            {"gap", Number(r.gap)},
            {"seconds", r.seconds},
            {"variables", r.variables},
            {"rows", r.rows}}},
          {"measures", std::move(measures)},
          {"quarters", std::move(quarters)},
          {"people", std::move(people)},
          {"pareto", std::move(pareto)},
          {"sensitivity", std::move(sensitivity)},
          {"warnings", plan.warnings}};
}

}  // namespace fh::optimize
