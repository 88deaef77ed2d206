#include "analytics/spc/spc_svg.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/html_escape.h"

namespace fh::analytics::spc {
namespace {

constexpr double kWidth = 900, kPanel = 220, kLeft = 70, kRight = 110, kTop = 40, kGap = 50;

struct Panel {
  double top = 0;
  double low = 0, high = 1;  // value range shown
  double Y(double v) const { return top + kPanel - (v - low) / (high - low) * kPanel; }
};

std::string Num(double v) {
  return fmt::format("{:.6g}", v);
}

// One panel: the limits, the points, the signals.
void DrawPanel(std::string& svg, const Panel& p, const std::string& name,
               const ControlLimits& limits, const std::vector<double>& values, size_t first,
               const std::set<size_t>& signals, size_t phase_two_from, double x_step) {
  auto x = [&](size_t i) { return kLeft + (static_cast<double>(i) + 0.5) * x_step; };
  const double right = kWidth - kRight;
  if (phase_two_from < values.size()) {
    const double x0 = kLeft + static_cast<double>(phase_two_from) * x_step;
    svg +=
        fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='#f3f6fa'/>\n",
                    x0, p.top, right - x0, kPanel);
  }
  svg += fmt::format("<rect x='{}' y='{:.1f}' width='{}' height='{}' fill='none' stroke='#999'/>\n",
                     kLeft, p.top, right - kLeft, kPanel);
  auto line = [&](double v, const char* colour, const char* dash, const std::string& label) {
    if (!std::isfinite(v)) return;
    svg += fmt::format(
        "<line x1='{}' x2='{}' y1='{:.1f}' y2='{:.1f}' stroke='{}' stroke-dasharray='{}'/>\n"
        "<text x='{}' y='{:.1f}' font-size='12' fill='{}'>{} {}</text>\n",
        kLeft, right, p.Y(v), p.Y(v), colour, dash, right + 6, p.Y(v) + 4, colour, label, Num(v));
  };
  line(limits.upper, "#c0392b", "6 4", "UCL");
  line(limits.center, "#2c3e50", "", "CL");
  line(limits.lower, "#c0392b", "6 4", "LCL");
  std::string path;
  for (size_t i = first; i < values.size(); ++i) {
    path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", x(i), p.Y(values[i]));
  }
  svg += fmt::format("<path d='{}' fill='none' stroke='#2980b9' stroke-width='1.5'/>\n", path);
  for (size_t i = first; i < values.size(); ++i) {
    const bool bad = signals.count(i) > 0;
    svg += fmt::format(
        "<circle cx='{:.1f}' cy='{:.1f}' r='{}' fill='{}'><title>subgroup {}: "
        "{}</title></circle>\n",
        x(i), p.Y(values[i]), bad ? 4 : 2.5, bad ? "#c0392b" : "#2980b9", i + 1, Num(values[i]));
  }
  svg += fmt::format(
      "<text x='12' y='{:.1f}' font-size='14' font-weight='bold' fill='#2c3e50'>{}</text>\n",
      p.top + kPanel / 2, name);
}

Panel Scale(double top, const ControlLimits& limits, const std::vector<double>& values,
            size_t first) {
  double low = limits.lower, high = limits.upper;
  for (size_t i = first; i < values.size(); ++i) {
    low = std::min(low, values[i]);
    high = std::max(high, values[i]);
  }
  if (!std::isfinite(low) || !std::isfinite(high) || !(high > low)) {
    low = (std::isfinite(low) ? low : 0) - 1;
    high = low + 2;
  }
  const double pad = (high - low) * 0.08;
  return {top, low - pad, high + pad};
}

}  // namespace

std::string SpcChartSvg(const SpcStudy& study, const std::string& title) {
  const size_t n = study.points.size();
  const double height = kTop + 2 * kPanel + kGap + 40;
  const double x_step = (kWidth - kLeft - kRight) / static_cast<double>(std::max<size_t>(n, 1));
  std::vector<double> location, spread;
  size_t phase_two_from = n;
  for (const SubgroupPoint& p : study.points) {
    location.push_back(p.location);
    spread.push_back(p.spread);
    if (p.phase_two) phase_two_from = std::min(phase_two_from, p.index);
  }
  std::set<size_t> location_signals, spread_signals;
  for (const SpcViolation& v : study.violations) {
    (v.chart == study.spread_chart ? spread_signals : location_signals).insert(v.point);
  }
  const size_t first_spread = study.spread_chart == "mr" ? 1 : 0;
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' viewBox='0 0 {} {}' "
      "font-family='sans-serif'>\n<title>{}</title>\n<rect width='100%' height='100%' "
      "fill='white'/>\n<text x='{}' y='24' font-size='16' fill='#2c3e50'>{}</text>\n",
      kWidth, height, kWidth, height, HtmlEscape(title), kLeft, HtmlEscape(title));
  const std::string loc_name = study.location_chart == "xbar" ? "X̄" : "I";
  const std::string spread_name = study.spread_chart == "mr"  ? "MR"
                                  : study.spread_chart == "s" ? "S"
                                                              : "R";
  DrawPanel(svg, Scale(kTop, study.limits.location, location, 0), loc_name, study.limits.location,
            location, 0, location_signals, phase_two_from, x_step);
  DrawPanel(svg, Scale(kTop + kPanel + kGap, study.limits.spread, spread, first_spread),
            spread_name, study.limits.spread, spread, first_spread, spread_signals, phase_two_from,
            x_step);
  svg += fmt::format(
      "<text x='{}' y='{:.1f}' font-size='12' fill='#555'>subgroups 1 to {}; limits from the "
      "first {}{}; red: a rule broken</text>\n</svg>\n",
      kLeft, height - 12, n, std::min(phase_two_from, n),
      phase_two_from < n ? " (phase II shaded)" : "");
  return svg;
}

}  // namespace fh::analytics::spc
