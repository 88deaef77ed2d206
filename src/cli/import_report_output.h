// Printing an import report (import, validate, quarantine replay) as text or JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "importer/import_job.h"

namespace fh::cli {

nlohmann::ordered_json ImportReportJson(const importer::ImportReport& report);
void PrintImportReport(const importer::ImportReport& report, const std::string& what);

}  // namespace fh::cli
