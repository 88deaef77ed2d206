// Control charts a person can look at, as self-contained SVG (no script, no external
// fonts): one or more panels, each a statistic with its center line and control limits
// (constant, or per point: a p chart of varying subgroup sizes, EWMA's exact limits), the
// phase-II region shaded, and the points that broke a rule in red, each point's value in its
// tooltip. What `factoryhub spc chart|ewma|cusum|attribute --svg FILE` writes.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "analytics/spc/attribute_study.h"
#include "analytics/spc/spc_study.h"
#include "analytics/spc/time_weighted.h"

namespace fh::analytics::spc {

struct SvgPanel {
  std::string name;                   // "X̄", "R", "p", "EWMA", "C+"
  std::vector<double> values;         // one per subgroup
  std::vector<ControlLimits> limits;  // one per subgroup, or one for all
  std::set<size_t> signals;           // subgroups drawn red
  size_t first = 0;                   // the first subgroup that has a value (MR: 1)
};

// The panels one above the other over the same subgroups; subgroups from `phase_two_from`
// on are shaded (none when it is past the end). `footer` says what is shown.
std::string ChartSvg(const std::string& title, const std::vector<SvgPanel>& panels,
                     size_t phase_two_from, const std::string& footer);

// The study's location chart above its spread chart.
std::string SpcChartSvg(const SpcStudy& study, const std::string& title);
// The EWMA statistic between its exact limits.
std::string EwmaChartSvg(const EwmaChart& chart, const std::string& title);
// C+ above C-, each against the decision interval H.
std::string CusumChartSvg(const CusumChart& chart, const std::string& title);
// p, np, c or u, with limits per subgroup.
std::string AttributeChartSvg(const AttributeStudy& study, const std::string& title);

}  // namespace fh::analytics::spc
