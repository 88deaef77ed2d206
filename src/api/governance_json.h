// The governed import's results as JSON, one shape for the CLI (`--json`) and the API: an
// import or replay report, a quarantined record with every reason, a rule's violation.
#pragma once

#include <nlohmann/json.hpp>

#include "govern/violation.h"
#include "pipeline/import_job.h"
#include "store/governance/governance_store.h"

namespace fh::api {

nlohmann::ordered_json ViolationJson(const govern::Violation& v);
nlohmann::ordered_json ImportReportJson(const pipeline::ImportReport& report);
// {id, batch, mapping, entity, source_system, source_object, line, offset, key, status, ...,
// fields: {column: value}, raw, reasons: [...]}
nlohmann::ordered_json QuarantinedRecordJson(const QuarantinedRecord& q);

// Masks the values of the record's personal columns (the mapping's `personal:` fields) in
// its fields and raw text; reasons were masked when the record was rejected. Returns how
// many values it masked.
int MaskPersonalColumns(QuarantinedRecord& q);

}  // namespace fh::api
