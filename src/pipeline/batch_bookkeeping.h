// The books an import keeps besides its records: the batch it runs as (begun, finished with
// its counts and check tallies, or failed and why), the quarantine entry of a rejected
// record, the report's examples. Shared by import_job.cpp (files) and quarantine_replay.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/mapping.h"
#include "govern/violation.h"
#include "ingest/record_batch.h"
#include "pipeline/import_job.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::pipeline {

class RecordProcessor;

// The quarantine entry of record `i` of `batch`, rejected for `reasons`.
QuarantinedRecord MakeQuarantined(const ImportReport& report, const govern::Mapping& mapping,
                                  int64_t batch_id, const ingest::RecordBatch& batch, size_t i,
                                  const std::vector<govern::Violation>& reasons,
                                  const std::optional<std::string>& key);
// Keeps the first `max` rejected records' reasons for the report.
void KeepExample(ImportReport& report, size_t max, int64_t line,
                 const std::vector<govern::Violation>& reasons);
// Registers the mapping's version (report.mapping becomes "name@version") and inserts a
// running batch for it; the caller's unit of work decides whether both stay.
Result<int64_t> BeginBatch(CatalogSession& session, const govern::Mapping& mapping,
                           ImportReport& report, std::optional<int64_t> replay_of = std::nullopt);
// A batch that failed before anything of it was stored, with why (its own unit of work).
Status RecordFailedBatch(CatalogSession& session, const govern::Mapping& mapping,
                         ImportReport report, const Status& why);
// Completes the batch with the report's counts, check tallies and warnings.
Status FinishBatch(RecordProcessor& p, ImportReport& report, int64_t batch_id,
                   const std::string& mapping_version, const govern::Mapping& mapping);

}  // namespace fh::pipeline
