// WriteSampleFile: a long-form sample file (timestamp,tag,value[,quality]; the input of
// `factoryhub write`) into the store, governed as a live source is: the hub's stream mapping
// converts and checks each point, the file runs as one batch, and each tag's lineage names
// the batch and the lines it came from.
//
// The points go straight into chunks through one storage writer and one commit, so a large
// file keeps bulk speed, and a failure part way stores nothing of it. What cannot be stored
// (a malformed line, a point failing a rule) is handled by the policy:
// - kRejectFile: the first one fails the file; nothing of it is stored; the batch is recorded
//   failed with the reason ("samples.csv:12: ...").
// - kQuarantine: each is quarantined with its line, raw text and reason; the rest is stored.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/stream_mapping.h"
#include "ingest/sample_csv_reader.h"
#include "pipeline/sample_bookkeeping.h"
#include "store/hub.h"

namespace fh::pipeline {

enum class BadSamplePolicy { kRejectFile, kQuarantine };

struct SampleFileWriteOptions {
  BadSamplePolicy on_bad = BadSamplePolicy::kRejectFile;
  // The hub's stream mapping (null: points are stored as read).
  std::shared_ptr<govern::StreamGovernor> governor;
  // Rejected records the report describes at most.
  size_t max_examples = 5;
  // Called after each batch of points is appended: points and lines read so far.
  std::function<void(int64_t points, int64_t lines)> progress;
};

struct SampleFileWriteReport {
  int64_t batch_id = 0;
  std::string mapping;      // the stream mapping's version ("plant-streams@2"); empty: none
  int64_t read = 0;         // records read: written + quarantined
  int64_t written = 0;      // points stored
  int64_t quarantined = 0;  // records quarantined (kQuarantine)
  int64_t warnings = 0;     // points stored with a warning of the stream mapping
  size_t tags = 0;          // distinct tags stored
  struct Example {
    int64_t line = 0;
    std::string message;
  };
  std::vector<Example> examples;  // the first quarantined records
};

// Reads `reader` to its end. `source` names the batch ({"file", "samples.csv"}). The reader
// must have been opened with skip_bad_lines for kQuarantine.
// Errors: the reader's ("FILE:LINE: field ..."), a rule's ("FILE:LINE: tag T: rule ..."),
// or the store's; with any of them nothing of the file is stored.
Result<SampleFileWriteReport> WriteSampleFile(Hub& hub, ingest::SampleCsvReader& reader,
                                              const StreamSource& source,
                                              const SampleFileWriteOptions& options);

}  // namespace fh::pipeline
