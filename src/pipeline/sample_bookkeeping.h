// The books a write of samples keeps, whether it comes from a live source (StreamIngest) or
// a file (`factoryhub write`, WriteSampleFile): the batch it runs as, under the stream
// mapping's version when the hub has one; each tag's span of stored points, for the series'
// lineage; and the quarantine entries of what could not be stored.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "govern/stream_mapping.h"
#include "model/lineage.h"
#include "model/sample.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::pipeline {

// Where samples come from: the batch's source system and object.
struct StreamSource {
  std::string system;  // "http", "mqtt", "file", ...
  std::string object;  // the endpoint, topic, device or file
  auto operator<=>(const StreamSource&) const = default;
};

// A record that could not be read, for the quarantine.
struct RejectedRecord {
  int64_t line = 0;     // in the request or file (0: unknown)
  std::string raw;      // as received
  std::string message;  // why
};

struct StreamCounters {
  int64_t accepted = 0;     // points stored (text values included)
  int64_t texts = 0;        // of those, text values (line protocol's string fields)
  int64_t quarantined = 0;  // records quarantined
  int64_t warnings = 0;     // points stored with a warning of the stream mapping
};

// The points of one tag a batch stored so far.
struct SeriesSpan {
  TimestampNs first = 0, last = 0;
  int64_t samples = 0;
  int64_t first_line = 0, last_line = 0;  // 0: unknown
};

// The span of each of `batch`'s tags, by its index in batch.tag_names(). `line_of`: the
// source line of point i (null: unknown), asked for each tag's first and last point only.
// One pass, no lookups: done outside a lock.
std::vector<SeriesSpan> BatchSpans(const SampleBatch& batch,
                                   const std::function<int64_t(size_t)>& line_of = nullptr);
// Merges them into `spans`, by tag name.
void MergeSeriesSpans(const SampleBatch& batch, const std::vector<SeriesSpan>& local,
                      StringMap<SeriesSpan>& spans);
std::vector<SeriesLineage> SeriesLineageOf(int64_t batch_id, const StringMap<SeriesSpan>& spans);

// Inserts a running batch for `source`; with a stream mapping (`governor` not null) its
// version is registered and named by the batch. In the caller's unit of work.
Result<int64_t> BeginSampleBatch(CatalogSession& session, const StreamSource& source,
                                 const govern::StreamGovernor* governor);
// Sets the batch's counts, warnings and status (`message`: why it failed). In the caller's
// unit of work.
Status RecordSampleBatch(CatalogSession& session, int64_t batch_id, const StreamCounters& counters,
                         IngestBatchStatus status, std::optional<std::string> message = {});

// The quarantine entry of a record that could not be read as `format` ("line-protocol").
QuarantinedRecord QuarantinedRecordOf(int64_t batch_id, const StreamSource& source,
                                      std::string_view format, const RejectedRecord& record);
// The quarantine entry of a point that failed a rule of the stream mapping: a sample of POST
// /api/v1/samples with the value as received, so that once the rule or the sender is fixed it
// can be sent again as it is. `line`: where it was read (0: unknown).
QuarantinedRecord QuarantinedPointOf(int64_t batch_id, const StreamSource& source,
                                     const govern::StreamGovernor& governor,
                                     const govern::RejectedPoint& point, int64_t line = 0);

}  // namespace fh::pipeline
