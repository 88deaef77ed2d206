// Printing an import report (import, validate, quarantine replay) as text; as JSON:
// api/governance_json.h.
#pragma once

#include <nlohmann/json.hpp>

#include "api/governance_json.h"
#include "pipeline/import_job.h"

namespace fh::cli {

using api::ImportReportJson;

void PrintImportReport(const pipeline::ImportReport& report, const std::string& what);

}  // namespace fh::cli
