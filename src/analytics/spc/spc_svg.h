// A control chart a person can look at: the study's location chart above its spread chart,
// as one self-contained SVG (no script, no external fonts), with the center line, the
// control limits, the phase-II region shaded, and the points that broke a rule in red.
// What `factoryhub spc chart --svg FILE` writes.
#pragma once

#include <string>

#include "analytics/spc/spc_study.h"

namespace fh::analytics::spc {

std::string SpcChartSvg(const SpcStudy& study, const std::string& title);

}  // namespace fh::analytics::spc
