// Lineage: where a stored record came from. Every entity row carries one, so that
// Catalog::GetLineage can answer "which file, which line, which mapping" for any record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/sample.h"

namespace fh {

// Text fields are empty when unknown (stored as NULL). Records entered by hand (CLI, API)
// use source_system "manual".
struct Lineage {
  std::string source_system;           // "erp", "mes", "crm", "opcua:press-01", "manual"
  std::string source_object;           // file name, topic, table or endpoint
  std::optional<int64_t> source_line;  // 1-based line in a file, or offset in a stream
  std::string mapping_version;         // version of the mapping that produced the record
  std::optional<int64_t> batch_id;     // ingest_batch.id
  bool operator==(const Lineage&) const = default;
};

enum class IngestBatchStatus { kRunning, kCompleted, kFailed };
inline constexpr EnumNames<IngestBatchStatus, 3> kIngestBatchStatusNames = {{
    {IngestBatchStatus::kRunning, "running"},
    {IngestBatchStatus::kCompleted, "completed"},
    {IngestBatchStatus::kFailed, "failed"},
}};
inline std::string_view ToString(IngestBatchStatus v) {
  return EnumToString(kIngestBatchStatusNames, v);
}
inline Result<IngestBatchStatus> ParseIngestBatchStatus(std::string_view s) {
  return EnumParse(kIngestBatchStatusNames, "ingest batch status", s);
}

// One run of an import over one source object. Counters obey, once completed:
//   records_read == accepted + quarantined + duplicates
// where accepted records changed the store (inserted or updated), quarantined ones were
// rejected, and duplicates were already stored exactly so (a re-import, a repeated row);
// the schema enforces it.
struct IngestBatch {
  int64_t id = 0;
  std::string source_system;
  std::string source_object;  // file name, topic, ...
  std::string mapping_version;
  IngestBatchStatus status = IngestBatchStatus::kRunning;
  TimestampNs started_at = 0;
  std::optional<TimestampNs> finished_at;
  int64_t records_read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
  int64_t duplicates = 0;
  int64_t stale = 0;  // read, not applied: the store holds a newer version (completed:
                      // records_read = accepted + quarantined + duplicates + stale)
  std::optional<std::string> message;  // why a batch failed
  bool operator==(const IngestBatch&) const = default;
};

// The points of one tag that one batch stored: their span, count and source lines (a
// file's lines; a line of a wide table holds one point of each of its tags).
struct SeriesLineage {
  std::string tag;
  int64_t batch_id = 0;
  TimestampNs first_ts = 0;
  TimestampNs last_ts = 0;
  int64_t samples = 0;
  std::optional<int64_t> first_line;
  std::optional<int64_t> last_line;
  bool operator==(const SeriesLineage&) const = default;
};

}  // namespace fh
