#include "optimize/roadmap/roadmap_problem.h"

#include <cmath>

namespace fh::optimize {

CriteriaValues Contribution(const ProblemMeasure& m, int start, int quarters) {
  CriteriaValues c{};
  const int active = quarters - start - m.duration;  // quarters in use within the horizon
  for (size_t i = 0; i < kCriteria; ++i)
    if (kCriterionInfo[i].benefit) c[i] = m.effect[i] * active / quarters;
  const double spend = m.one_off + m.running * active;
  c[static_cast<size_t>(m.family == Family::kTalent ? Criterion6::kTalentCost
                                                    : Criterion6::kTechnologyCost)] = spend;
  c[static_cast<size_t>(Criterion6::kComplexity)] = m.complexity;
  return c;
}

double SpendAt(const ProblemMeasure& m, int offset) {
  if (offset < 0) return 0;
  return offset < m.duration ? m.one_off / m.duration : m.running;
}

CriteriaValues Totals(const RoadmapProblem& p, const Schedule& s) {
  CriteriaValues total{};
  for (size_t j = 0; j < p.measures.size(); ++j) {
    if (s[j] < 0) continue;
    const CriteriaValues c = Contribution(p.measures[j], s[j], p.quarters);
    for (size_t i = 0; i < kCriteria; ++i)
      total[i] += c[i];
  }
  return total;
}

Status CheckSchedule(const RoadmapProblem& p, const Schedule& s) {
  constexpr double kSlack = 1e-6;
  if (s.size() != p.measures.size())
    return Internal("a schedule of {} measures for {}", s.size(), p.measures.size());
  double total_spend = 0;
  for (size_t j = 0; j < p.measures.size(); ++j) {
    const ProblemMeasure& m = p.measures[j];
    if (s[j] < 0) {
      if (m.mandatory || m.start) return InvalidArgument("'{}' is mandatory but not chosen", m.id);
      continue;
    }
    if (s[j] + m.duration > p.quarters)
      return InvalidArgument("'{}' starts in quarter {} and does not finish within the horizon",
                             m.id, s[j] + 1);
    if (m.start && *m.start != s[j])
      return InvalidArgument("'{}' is fixed to quarter {}, scheduled in {}", m.id, *m.start + 1,
                             s[j] + 1);
    for (size_t r : m.requires_)
      if (s[r] < 0 || s[r] + p.measures[r].duration > s[j])
        return InvalidArgument("'{}' needs '{}' done before it starts", m.id, p.measures[r].id);
    for (size_t x : m.excludes)
      if (s[x] >= 0)
        return InvalidArgument("'{}' and '{}' exclude each other", m.id, p.measures[x].id);
    for (int q = s[j]; q < p.quarters; ++q)
      total_spend += SpendAt(m, q - s[j]);
  }
  if (p.budget_total && total_spend > *p.budget_total + kSlack)
    return InvalidArgument("spends {} over the horizon, above the budget of {}", total_spend,
                           *p.budget_total);
  for (int q = 0; q < p.quarters; ++q) {
    double spend = 0;
    std::vector<double> busy(p.resources.size(), 0), capacity = p.capacity;
    for (size_t j = 0; j < p.measures.size(); ++j) {
      if (s[j] < 0) continue;
      const ProblemMeasure& m = p.measures[j];
      spend += SpendAt(m, q - s[j]);
      if (q >= s[j] && q < s[j] + m.duration)
        for (auto [r, n] : m.people)
          busy[r] += n;
      if (q >= s[j] + m.duration)
        for (auto [r, n] : m.trains)
          capacity[r] += n;
    }
    if (p.budget_per_quarter > 0 && spend > p.budget_per_quarter + kSlack)
      return InvalidArgument("quarter {} spends {}, above the budget of {}", q + 1, spend,
                             p.budget_per_quarter);
    for (size_t r = 0; r < busy.size(); ++r)
      if (busy[r] > capacity[r] + kSlack)
        return InvalidArgument("quarter {} needs {} people qualified for '{}', {} are available",
                               q + 1, busy[r], p.resources[r], capacity[r]);
  }
  return Status::Ok();
}

CriteriaValues Scales(const RoadmapProblem& p) {
  CriteriaValues scale{};
  for (const ProblemMeasure& m : p.measures) {
    const CriteriaValues c = Contribution(m, 0, p.quarters);
    for (size_t i = 0; i < kCriteria; ++i)
      scale[i] += std::abs(c[i]);
  }
  // The two costs in currency share one scale, so that a yuan of training weighs what a yuan
  // of technology does (times their weights), however few training measures there are.
  const size_t tech = static_cast<size_t>(Criterion6::kTechnologyCost);
  const size_t talent = static_cast<size_t>(Criterion6::kTalentCost);
  scale[tech] = scale[talent] = scale[tech] + scale[talent];
  for (double& s : scale)
    if (!(s > 0)) s = 1;
  return scale;
}

double WeightedObjective(const CriteriaValues& totals, const CriteriaValues& weights,
                         const CriteriaValues& scales) {
  double f = 0;
  for (size_t i = 0; i < kCriteria; ++i)
    f += (kCriterionInfo[i].benefit ? -1 : 1) * weights[i] * totals[i] / scales[i];
  return f;
}

}  // namespace fh::optimize
