// The demo's ERP export (docs/governance.md): the plant's material master as its ERP writes
// it (Chinese headers, units in Chinese), imported at the first start through a mapping with
// rules, as `factoryhub import` would. Three of its rows break the rules and wait in the
// quarantine with their reasons, file and line, for someone to fix and replay — as a real
// export's do.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/status.h"
#include "pipeline/import_job.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoErpExport = "erp/materials.csv";
inline constexpr const char* kDemoErpMapping = "mappings/erp-materials.yaml";

// Writes `text` to `path`, creating its folder: the files the demo leaves for its user.
Status WriteDemoFile(const std::filesystem::path& path, std::string_view text);

// Writes the export and its mapping under `dir` and imports it into `hub`.
Result<pipeline::ImportReport> ImportDemoErp(Hub& hub, const std::filesystem::path& dir);

}  // namespace fh::cli
