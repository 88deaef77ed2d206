// Printing an import report (import, validate, quarantine replay) as text or JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/import_job.h"

namespace fh::cli {

nlohmann::ordered_json ImportReportJson(const pipeline::ImportReport& report);
void PrintImportReport(const pipeline::ImportReport& report, const std::string& what);

}  // namespace fh::cli
