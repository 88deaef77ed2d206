// A trace and a recall report as JSON (`factoryhub trace --json`, GET /api/v1/trace/...)
// and the recall report as CSV; docs/genealogy.md lists the fields.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analytics/genealogy/lot_trace.h"

namespace fh::analytics {

nlohmann::ordered_json LotTraceJson(const LotTrace& trace);

// Who received product containing the start lot (a forward trace): per customer, its
// shipments with quantities, dates and the path from the start lot.
nlohmann::ordered_json RecallJson(const LotTrace& trace);
// One row per shipment, with a header row.
std::string RecallCsv(const LotTrace& trace);

}  // namespace fh::analytics
