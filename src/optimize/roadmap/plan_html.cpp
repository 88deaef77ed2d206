#include "optimize/roadmap/plan_html.h"

#include <algorithm>
#include <cmath>

#include <fmt/ranges.h>

#include "common/html_escape.h"
#include "common/time.h"

namespace fh::optimize {

namespace {

constexpr const char* kPlanStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;background:#f8fafc;margin:0;padding:24px 32px;max-width:1180px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 8px}
.muted{color:#64748b}.warn{color:#b45309}
table{border-collapse:collapse;background:#fff;border:1px solid #e2e8f0}
th,td{padding:5px 9px;border-bottom:1px solid #eef2f7;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600;font-size:12px;color:#475569}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.D{background:#2563eb}.T{background:#7c3aed}.P{background:#059669}.S{background:#d97706}
.measured{color:#047857}.estimate{color:#64748b}.unknown{color:#b45309}
figure{margin:0;background:#fff;border:1px solid #e2e8f0;padding:8px;display:inline-block}
)css";

const char* FamilyColour(Family f) {
  switch (f) {
    case Family::kData:
      return "#2563eb";
    case Family::kTechnology:
      return "#7c3aed";
    case Family::kProcess:
      return "#059669";
    case Family::kTalent:
      return "#d97706";
  }
  return "#64748b";
}

std::string Money(double v) {
  return fmt::format("{:.0f}", v);
}

std::string Gantt(const RoadmapPlan& plan) {
  const Catalogue& c = plan.catalogue;
  const Schedule& s = plan.solution.schedule;
  std::vector<size_t> chosen;
  for (size_t j = 0; j < s.size(); ++j)
    if (s[j] >= 0) chosen.push_back(j);
  std::stable_sort(chosen.begin(), chosen.end(), [&](size_t a, size_t b) { return s[a] < s[b]; });
  const int label_w = 250, col = 78, row = 24, top = 26;
  const int width = label_w + col * c.quarters + 10,
            height = top + row * static_cast<int>(chosen.size()) + 8;
  std::string svg =
      fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img" )"
                  R"(aria-label="Gantt chart of the roadmap" font-size="12">)",
                  width, height);
  for (int q = 0; q < c.quarters; ++q) {
    const int x = label_w + q * col;
    svg +=
        fmt::format(R"(<rect x="{}" y="0" width="{}" height="{}" fill="{}"/><text x="{}" y="16" )"
                    R"(text-anchor="middle" fill="#475569">{}</text>)",
                    x, col, height, q % 2 ? "#f8fafc" : "#ffffff", x + col / 2, c.QuarterLabel(q));
  }
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t j = chosen[k];
    const Measure& m = c.measures[j];
    const int y = top + static_cast<int>(k) * row;
    svg += fmt::format(R"(<text x="4" y="{}" fill="#0f172a">{}</text>)", y + 16,
                       HtmlEscape(m.id.size() > 34 ? m.id.substr(0, 33) + "…" : m.id));
    svg += fmt::format(
        R"(<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}"><title>{}: {} … {}</title></rect>)",
        label_w + s[j] * col + 2, y + 4, m.duration * col - 4, row - 8, FamilyColour(m.family),
        HtmlEscape(m.name), c.QuarterLabel(s[j]), c.QuarterLabel(s[j] + m.duration - 1));
  }
  return svg + "</svg>";
}

std::string ParetoSvg(const RoadmapPlan& plan) {
  if (plan.pareto.empty()) return "<p class=\"muted\">No front computed.</p>";
  const int w = 560, h = 320, left = 70, bottom = 40, right = 20, top = 14;
  double max_cost = 1, max_e = 1e-9;
  for (const ParetoPoint& p : plan.pareto) {
    max_cost = std::max(max_cost, p.cost);
    max_e = std::max(max_e, p.efficiency);
  }
  auto x = [&](double cost) { return left + (w - left - right) * cost / max_cost; };
  auto y = [&](double e) { return h - bottom - (h - bottom - top) * e / max_e; };
  std::string svg =
      fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img" )"
                  R"(aria-label="Pareto front: cost against efficiency" font-size="12">)",
                  w, h);
  svg += fmt::format(
      R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#94a3b8"/><line x1="{0}" y1="{3}" )"
      R"(x2="{0}" y2="{1}" stroke="#94a3b8"/>)",
      left, h - bottom, w - right, top);
  svg += fmt::format(
      R"(<text x="{}" y="{}" text-anchor="middle" fill="#475569">cost in the horizon ({} {})</text>)",
      (left + w - right) / 2, h - 8, Money(max_cost), HtmlEscape(plan.catalogue.currency));
  svg += fmt::format(
      R"svg(<text x="14" y="{}" fill="#475569" transform="rotate(-90 14 {})" text-anchor="middle">)svg"
      R"(OEE points (max {:.2f})</text>)",
      (top + h - bottom) / 2, (top + h - bottom) / 2, max_e);
  for (const ParetoPoint& p : plan.pareto) {
    svg += fmt::format(
        R"(<circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}" stroke="#0f172a" stroke-width="{}">)"
        R"(<title>{} {}: OEE {:+.2f}, FPY {:+.2f}; {}</title></circle>)",
        x(p.cost), y(p.efficiency), p.chosen_plan ? 7 : 4.5, p.chosen_plan ? "#dc2626" : "#2563eb",
        p.chosen_plan ? 2 : 0.5, Money(p.cost), HtmlEscape(plan.catalogue.currency), p.efficiency,
        p.quality, HtmlEscape(fmt::format("{}", fmt::join(p.measures, ", "))));
  }
  return svg + "</svg>";
}

std::string EffectCell(const std::optional<ResolvedEffect>& e) {
  if (!e) return "";
  const char* cls = e->unknown ? "unknown" : e->measured ? "measured" : "estimate";
  return fmt::format(R"(<div class="{}">{} — {}</div>)", cls,
                     e->unknown    ? "unknown"
                     : e->measured ? "measured"
                                   : "estimate",
                     HtmlEscape(e->basis));
}

}  // namespace

std::string RoadmapPlanHtml(const RoadmapPlan& plan) {
  const Catalogue& c = plan.catalogue;
  const Schedule& s = plan.solution.schedule;
  std::string h = HtmlPageStart(c.title.empty() ? "Transformation roadmap" : c.title, kPlanStyle);
  h += fmt::format("<h1>{}</h1>", HtmlEscape(c.title.empty() ? "Transformation roadmap" : c.title));
  h += fmt::format(
      "<p class=\"muted\">{} … {}, {} quarters; budget {} {} a quarter{}; solver: {} in {:.2f} s, "
      "gap {:.2f}% "
      "({} variables, {} rows); F = Σ wᵢ·Cᵢ = {:.4f}</p>",
      c.QuarterLabel(0), c.QuarterLabel(c.quarters - 1), c.quarters,
      c.budget_per_quarter > 0 ? Money(c.budget_per_quarter) : "unlimited", HtmlEscape(c.currency),
      c.budget_total ? fmt::format(", {} in all", Money(*c.budget_total)) : "",
      ToString(plan.solution.status), plan.solution.seconds, plan.solution.gap * 100,
      plan.solution.variables, plan.solution.rows, plan.objective);
  for (const std::string& w : plan.warnings)
    h += fmt::format("<p class=\"warn\">⚠ {}</p>", HtmlEscape(w));
  const AssetFacts& b = plan.facts.plant;
  auto pct = [](const std::optional<double>& v) {
    return v ? fmt::format("{:.1f}%", *v * 100) : std::string("–");
  };
  h += fmt::format(
      "<h2>Baseline ({} … {}, measured)</h2><p>OEE {} = availability {} × performance {} × quality "
      "{}; "
      "scrap {}</p>",
      FormatRfc3339(plan.facts.from).substr(0, 10), FormatRfc3339(plan.facts.to).substr(0, 10),
      pct(b.oee), pct(b.availability), pct(b.performance), pct(b.quality), pct(b.scrap_ratio));
  h += "<h2>Weights</h2><table><tr><th>criterion</th><th>kind</th><th class=\"num\">weight</th>"
       "<th class=\"num\">plan total</th><th>unit</th>";
  if (!plan.sensitivity.empty()) h += "<th class=\"num\">plan holds for weights</th>";
  h += "</tr>";
  for (size_t i = 0; i < kCriteria; ++i) {
    const CriterionInfo& info = kCriterionInfo[i];
    h += fmt::format(
        "<tr><td>{} ({})</td><td>{}</td><td class=\"num\">{:.3f}</td><td "
        "class=\"num\">{:.2f}</td><td>{}</td>",
        info.name, info.symbol, info.benefit ? "benefit" : "cost", plan.weights[i], plan.totals[i],
        HtmlEscape(info.unit == "currency" ? c.currency : std::string(info.unit)));
    if (i < plan.sensitivity.size())
      h += fmt::format("<td class=\"num\">{:.3f} … {:.3f}</td>", plan.sensitivity[i].low,
                       plan.sensitivity[i].high);
    h += "</tr>";
  }
  h += "</table>";
  if (plan.ahp)
    h += fmt::format(
        "<p class=\"muted\">From AHP judgements: λmax {:.3f}, CI {:.4f}, RI {:.2f}, consistency "
        "ratio "
        "{:.4f} (Saaty's limit 0.1).</p>",
        plan.ahp->lambda_max, plan.ahp->consistency_index, plan.ahp->random_index,
        plan.ahp->consistency_ratio);
  h += "<h2>Roadmap</h2><figure>" + Gantt(plan) + "</figure>";
  h +=
      "<h2>Why each measure</h2><table><tr><th>measure</th><th>when</th><th class=\"num\">cost</th>"
      "<th>effects and where they come from</th></tr>";
  for (size_t j = 0; j < c.measures.size(); ++j) {
    if (s[j] < 0) continue;
    const Measure& m = c.measures[j];
    std::string effects;
    for (size_t i = 0; i < kCriteria; ++i)
      effects += EffectCell(plan.effects[j][i]);
    if (!plan.trains_basis[j].empty())
      effects += fmt::format("<div>{}</div>", HtmlEscape(plan.trains_basis[j]));
    if (!m.requires_.empty())
      effects += fmt::format("<div class=\"muted\">after {}</div>",
                             HtmlEscape(fmt::format("{}", fmt::join(m.requires_, ", "))));
    h += fmt::format(
        "<tr><td><span class=\"tag {}\">{}</span> <b>{}</b><br>{}</td><td>{} … {}</td>"
        "<td class=\"num\">{} + {}/q</td><td>{}</td></tr>",
        FamilyLetter(m.family), FamilyLetter(m.family), HtmlEscape(m.id), HtmlEscape(m.name),
        c.QuarterLabel(s[j]), c.QuarterLabel(s[j] + m.duration - 1), Money(m.one_off),
        Money(m.running), effects);
  }
  h += "</table><h2>Not chosen</h2><table><tr><th>measure</th><th class=\"num\">TOPSIS rank</th>"
       "<th class=\"num\">weighted-sum rank</th><th>effects</th></tr>";
  for (size_t j = 0; j < c.measures.size(); ++j) {
    if (s[j] >= 0) continue;
    std::string effects;
    for (size_t i = 0; i < kCriteria; ++i)
      effects += EffectCell(plan.effects[j][i]);
    h += fmt::format(
        "<tr><td><span class=\"tag {}\">{}</span> <b>{}</b><br>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>",
        FamilyLetter(c.measures[j].family), FamilyLetter(c.measures[j].family),
        HtmlEscape(c.measures[j].id), HtmlEscape(c.measures[j].name),
        j < plan.topsis.size() ? plan.topsis[j].rank : 0,
        j < plan.weighted_sum.size() ? plan.weighted_sum[j].rank : 0, effects);
  }
  h += "</table><h2>Spend per quarter</h2><table><tr><th>quarter</th><th class=\"num\">spend</th>"
       "<th class=\"num\">budget</th></tr>";
  for (int q = 0; q < c.quarters; ++q)
    h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                     c.QuarterLabel(q), Money(plan.spend_per_quarter[q]),
                     c.budget_per_quarter > 0 ? Money(c.budget_per_quarter) : "–");
  h += "</table><h2>Pareto front: efficiency, quality and cost</h2><p class=\"muted\">The cheapest "
       "roadmap for each "
       "level of OEE and first-pass-yield points (ε-constraint); red: the weighted "
       "plan.</p><figure>" +
       ParetoSvg(plan) + "</figure>";
  return h + "</body></html>\n";
}

}  // namespace fh::optimize
