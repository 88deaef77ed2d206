// An OEE report as JSON, the same for `factoryhub oee --json` and GET /api/v1/oee
// (docs/oee.md lists the fields). Ratios are fractions (0.75, not 75); an empty ratio
// (nothing to divide by) is null; times are seconds.
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/oee/oee_report.h"

namespace fh::analytics::oee {

nlohmann::ordered_json OeeRowJson(const OeeRow& row);
// Rows, total and warnings; with `losses`, the waterfall and the reasons too.
nlohmann::ordered_json OeeReportJson(const OeeReport& report, bool losses);
nlohmann::ordered_json OeeLossesJson(const OeeReport& report);

// The query as the CLI's flags and the API's parameters give it: every field text, empty
// for its default (to: now; from: a day before `to`; by: whole; level: equipment).
struct OeeQueryText {
  std::string path, from, to, by, level;
};
// On error *bad_field (when given) names the field at fault.
Result<OeeQuery> ParseOeeQuery(const OeeQueryText& text, TimestampNs now,
                               std::string* bad_field = nullptr);

std::string_view ToString(Period p);
Result<Period> ParsePeriod(std::string_view text);

}  // namespace fh::analytics::oee
