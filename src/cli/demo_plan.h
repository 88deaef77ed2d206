// The demo plant's transformation roadmap catalogue (docs/optimize.md): a dozen candidate
// measures in the source document's four families, their costs, people and prerequisites,
// effects measured from the demo's own data where the hub can (stop reasons of line 1, its
// scrap, the failure model's recall, the ERP export's completeness, the skill gaps) and
// estimates where it cannot, and weights from AHP judgements. `factoryhub plan` reads it
// from the hub folder.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

// Writes plan.yaml into the hub folder `dir` unless one is there (a user's edits stay),
// its horizon starting with the quarter after `now_ns`.
Status WriteDemoPlanCatalogue(const std::filesystem::path& dir, int64_t now_ns);

// The roadmap planned once from the hub's data at start-up (without the front and the weight
// ranges), in a line for the demo's summary: what was chosen, F, how long the solver took.
Result<std::string> DemoPlanSummary(Hub& hub, int64_t now_ns);

}  // namespace fh::cli
