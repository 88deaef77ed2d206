#include "analytics/spc/spc_svg.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/html_escape.h"

namespace fh::analytics::spc {
namespace {

constexpr double kWidth = 900, kPanel = 220, kLeft = 70, kRight = 110, kTop = 40, kGap = 50;

struct Scale {
  double top = 0;
  double low = 0, high = 1;  // value range shown
  double Y(double v) const { return top + kPanel - (v - low) / (high - low) * kPanel; }
};

std::string Num(double v) {
  return fmt::format("{:.6g}", v);
}

const ControlLimits& LimitsAt(const SvgPanel& p, size_t i) {
  return p.limits.size() == 1 ? p.limits.front() : p.limits[std::min(i, p.limits.size() - 1)];
}

Scale ScaleOf(double top, const SvgPanel& p) {
  double low = INFINITY, high = -INFINITY;
  auto see = [&](double v) {
    if (!std::isfinite(v)) return;
    low = std::min(low, v);
    high = std::max(high, v);
  };
  for (size_t i = p.first; i < p.values.size(); ++i) {
    see(p.values[i]);
    see(LimitsAt(p, i).lower);
    see(LimitsAt(p, i).upper);
    see(LimitsAt(p, i).center);
  }
  if (!std::isfinite(low) || !(high > low)) {
    low = (std::isfinite(low) ? low : 0) - 1;
    high = low + 2;
  }
  const double pad = (high - low) * 0.08;
  return {top, low - pad, high + pad};
}

void DrawPanel(std::string& svg, const Scale& s, const SvgPanel& p, size_t phase_two_from,
               double x_step) {
  auto x = [&](size_t i) { return kLeft + (static_cast<double>(i) + 0.5) * x_step; };
  const double right = kWidth - kRight;
  const size_t n = p.values.size();
  if (phase_two_from < n) {
    const double x0 = kLeft + static_cast<double>(phase_two_from) * x_step;
    svg +=
        fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='#f3f6fa'/>\n",
                    x0, s.top, right - x0, kPanel);
  }
  svg += fmt::format("<rect x='{}' y='{:.1f}' width='{}' height='{}' fill='none' stroke='#999'/>\n",
                     kLeft, s.top, right - kLeft, kPanel);
  // Each limit as a line over the subgroups: flat when constant, in steps when per point;
  // labelled at the right with its last value.
  auto limit = [&](double ControlLimits::*which, const char* colour, const char* dash,
                   const char* label) {
    std::string path;
    double last = NAN;
    for (size_t i = p.first; i < n; ++i) {
      const double v = LimitsAt(p, i).*which;
      if (!std::isfinite(v)) continue;
      const double x0 = kLeft + static_cast<double>(i) * x_step;
      path += fmt::format("{}{:.1f},{:.1f} L{:.1f},{:.1f}", path.empty() ? "M" : " L", x0, s.Y(v),
                          x0 + x_step, s.Y(v));
      last = v;
    }
    if (path.empty()) return;
    svg += fmt::format("<path d='{}' fill='none' stroke='{}' stroke-dasharray='{}'/>\n", path,
                       colour, dash);
    svg += fmt::format("<text x='{}' y='{:.1f}' font-size='12' fill='{}'>{} {}</text>\n", right + 6,
                       s.Y(last) + 4, colour, label, Num(last));
  };
  limit(&ControlLimits::upper, "#c0392b", "6 4", "UCL");
  limit(&ControlLimits::center, "#2c3e50", "", "CL");
  limit(&ControlLimits::lower, "#c0392b", "6 4", "LCL");
  std::string path;
  for (size_t i = p.first; i < n; ++i) {
    path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", x(i), s.Y(p.values[i]));
  }
  svg += fmt::format("<path d='{}' fill='none' stroke='#2980b9' stroke-width='1.5'/>\n", path);
  for (size_t i = p.first; i < n; ++i) {
    const bool bad = p.signals.count(i) > 0;
    svg += fmt::format(
        "<circle cx='{:.1f}' cy='{:.1f}' r='{}' fill='{}'><title>subgroup {}: "
        "{}</title></circle>\n",
        x(i), s.Y(p.values[i]), bad ? 4 : 2.5, bad ? "#c0392b" : "#2980b9", i + 1,
        Num(p.values[i]));
  }
  svg += fmt::format(
      "<text x='12' y='{:.1f}' font-size='14' font-weight='bold' fill='#2c3e50'>{}</text>\n",
      s.top + kPanel / 2, HtmlEscape(p.name));
}

}  // namespace

std::string ChartSvg(const std::string& title, const std::vector<SvgPanel>& panels,
                     size_t phase_two_from, const std::string& footer) {
  size_t n = 0;
  for (const SvgPanel& p : panels)
    n = std::max(n, p.values.size());
  const double height = kTop + static_cast<double>(panels.size()) * (kPanel + kGap) - kGap + 40;
  const double x_step = (kWidth - kLeft - kRight) / static_cast<double>(std::max<size_t>(n, 1));
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' viewBox='0 0 {} {}' "
      "font-family='sans-serif'>\n<title>{}</title>\n<rect width='100%' height='100%' "
      "fill='white'/>\n<text x='{}' y='24' font-size='16' fill='#2c3e50'>{}</text>\n",
      kWidth, height, kWidth, height, HtmlEscape(title), kLeft, HtmlEscape(title));
  for (size_t k = 0; k < panels.size(); ++k) {
    const double top = kTop + static_cast<double>(k) * (kPanel + kGap);
    DrawPanel(svg, ScaleOf(top, panels[k]), panels[k], phase_two_from, x_step);
  }
  svg += fmt::format("<text x='{}' y='{:.1f}' font-size='12' fill='#555'>{}</text>\n</svg>\n",
                     kLeft, height - 12, HtmlEscape(footer));
  return svg;
}

std::string SpcChartSvg(const SpcStudy& study, const std::string& title) {
  const size_t n = study.points.size();
  SvgPanel location{study.location_chart == "xbar" ? "X̄" : "I", {}, {study.limits.location}};
  SvgPanel spread{study.spread_chart == "mr"  ? "MR"
                  : study.spread_chart == "s" ? "S"
                                              : "R",
                  {},
                  {study.limits.spread}};
  spread.first = study.spread_chart == "mr" ? 1 : 0;
  size_t phase_two_from = n;
  for (const SubgroupPoint& p : study.points) {
    location.values.push_back(p.location);
    spread.values.push_back(p.spread);
    if (p.phase_two) phase_two_from = std::min(phase_two_from, p.index);
  }
  for (const SpcViolation& v : study.violations)
    (v.chart == study.spread_chart ? spread : location).signals.insert(v.point);
  return ChartSvg(
      title, {location, spread}, phase_two_from,
      fmt::format("subgroups 1 to {}; limits from the first {}{}; red: a rule broken", n,
                  std::min(phase_two_from, n), phase_two_from < n ? " (phase II shaded)" : ""));
}

std::string EwmaChartSvg(const EwmaChart& chart, const std::string& title) {
  SvgPanel p{"EWMA", {}, {}};
  for (size_t i = 0; i < chart.points.size(); ++i) {
    const EwmaPoint& e = chart.points[i];
    p.values.push_back(e.z);
    p.limits.push_back(e.limits);
    if (!e.limits.Contains(e.z)) p.signals.insert(i);
  }
  if (p.limits.empty()) p.limits.push_back(chart.asymptotic);
  return ChartSvg(
      title, {p}, p.values.size(),
      fmt::format("{} subgroups; the exact limits widen to {} .. {}; red: outside", p.values.size(),
                  Num(chart.asymptotic.lower), Num(chart.asymptotic.upper)));
}

std::string CusumChartSvg(const CusumChart& chart, const std::string& title) {
  const ControlLimits h{0, NAN, chart.decision};
  SvgPanel upper{"C+", chart.upper, {h}};
  SvgPanel lower{"C-", chart.lower, {h}};
  for (size_t i = 0; i < chart.upper.size(); ++i) {
    if (chart.upper[i] > chart.decision) upper.signals.insert(i);
    if (i < chart.lower.size() && chart.lower[i] > chart.decision) lower.signals.insert(i);
  }
  return ChartSvg(title, {upper, lower}, chart.upper.size(),
                  fmt::format("{} subgroups; UCL: the decision interval H = {}; red: beyond H{}",
                              chart.upper.size(), Num(chart.decision),
                              chart.first_signal
                                  ? fmt::format(", first at subgroup {}", *chart.first_signal + 1)
                                  : ""));
}

std::string AttributeChartSvg(const AttributeStudy& study, const std::string& title) {
  SvgPanel p{study.chart, {}, {}};
  for (size_t i = 0; i < study.points.size(); ++i) {
    const AttributePoint& a = study.points[i];
    p.values.push_back(a.value);
    p.limits.push_back(a.limits);
    if (a.out) p.signals.insert(i);
  }
  if (p.limits.empty()) p.limits.push_back({study.center, 0, 0});
  return ChartSvg(title, {p}, p.values.size(),
                  fmt::format("{} subgroups; center {}; red: outside its limits", p.values.size(),
                              Num(study.center)));
}

}  // namespace fh::analytics::spc
