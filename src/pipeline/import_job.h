// Import: one source file through a mapping and its rules into the hub, as one batch.
//
//   records read = accepted + quarantined + duplicates + stale
// accepted records changed the store, duplicates were already stored exactly so, stale ones
// are older than the version stored (the mapping's `version:` field), and each
// quarantined record is kept whole with every reason (docs/governance.md). Entity imports
// run in one transaction: a file that cannot be read to the end (bad encoding, truncated
// zip, broken quoting) stores nothing and leaves a failed batch saying why. A dry run
// (`factoryhub validate`) does all the same work and rolls it back.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/mapping.h"
#include "govern/record_mapper.h"
#include "govern/rule_checker.h"
#include "govern/violation.h"
#include "store/governance/governance_store.h"

namespace fh {
class Hub;
}

namespace fh::pipeline {

struct ImportProgress {
  int64_t records = 0;
  int64_t bytes = 0;  // source bytes consumed so far (approximate for re-encoded text)
};

struct ImportOptions {
  bool dry_run = false;
  size_t batch_records = 4096;
  // The source's name in lineage; default: the file's name without its folder.
  std::string source_object;
  std::function<void(const ImportProgress&)> progress;  // called after each block
  size_t max_examples = 20;                             // rejected records listed in the report
};

struct RejectedExample {
  int64_t line = 0;
  std::vector<govern::Violation> reasons;
};

struct ImportReport {
  std::optional<int64_t> batch_id;  // none for a dry run
  std::string mapping;              // "name@version"
  // Set when this import stored the mapping's text as a new version: the text's digest.
  std::string new_mapping_digest;
  std::string entity;
  std::string source_system;
  std::string source_object;
  std::string format;
  std::string encoding;
  std::string encoding_detection;  // how an `auto` encoding was told (empty: it was named)
  bool dry_run = false;
  int64_t read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
  int64_t duplicates = 0;
  int64_t stale = 0;     // older than the stored version (mapping `version:`): not applied
  int64_t warnings = 0;  // records accepted with warn-severity violations
  int64_t samples = 0;   // samples mappings: points written
  // Numbers the source left out (empty, NaN, NA, ...): read as no value, counted here.
  govern::MissingNumbers missing;
  std::vector<govern::CheckTally> checks;
  std::vector<govern::Violation> batch_warnings;  // batch-level rules (row count)
  // The records stored with warnings, and why: the first kMaxRecordWarnings of the batch
  // (stored with it: `report warnings`), the rest only counted in `warnings`.
  std::vector<RecordWarning> record_warnings;
  std::vector<RejectedExample> examples;
};

// Per batch, the records stored with warnings that are listed one by one (bounded memory
// and disk for a file that warns on every row).
inline constexpr size_t kMaxRecordWarnings = 100000;

Result<ImportReport> ImportFile(Hub& hub, const govern::Mapping& mapping, const std::string& path,
                                const ImportOptions& options);

struct ReplayOptions {
  std::optional<int64_t> batch_id;  // only records quarantined by this batch
  std::vector<int64_t> ids;         // only these records
  bool dry_run = false;
};

// Runs the open quarantined records of `mapping` (by name) through it again, as a new
// batch: those that pass now are stored (lineage: their original file and line) and marked
// replayed; the others stay open. The report lists why they still fail. Works for entity
// and samples mappings alike.
Result<ImportReport> ReplayQuarantine(Hub& hub, const govern::Mapping& mapping,
                                      const ReplayOptions& options);

}  // namespace fh::pipeline
