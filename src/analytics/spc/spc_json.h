// SPC studies as JSON, the same for `factoryhub spc ... --json` and GET /api/v1/spc/...:
// limits {cl, lcl, ucl}, capability indices with their confidence intervals, violations
// with 1-based subgroup numbers.
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/spc/spc_study.h"
#include "store/models/spc_event_store.h"

namespace fh::analytics::spc {

nlohmann::ordered_json LimitsJson(const ControlLimits& l);
nlohmann::ordered_json CapabilityJson(const Capability& c);
nlohmann::ordered_json ViolationsJson(const SpcStudy& s);
// The chart: kind, limits of both charts, every subgroup, violations, capability.
// `subject` first: {"tag": "..."}, {"characteristic": "..."}.
nlohmann::ordered_json SpcChartJson(const SpcStudy& s, nlohmann::ordered_json subject = {});
// An episode serve's monitor recorded: characteristic, limits_version, chart, rule, what,
// first_ts, ts, last_ts (RFC 3339), points, value, active, raised_at.
nlohmann::ordered_json SpcEventJson(const StoredSpcEvent& e);
// Subgroups in phase I.
size_t PhaseOneCount(const SpcStudy& s);

}  // namespace fh::analytics::spc
