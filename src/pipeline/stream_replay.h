// Replaying what a stream mapping quarantined: once a rule is fixed (streams.yaml) or found
// too strict, the points it rejected go through the hub's current stream mapping again;
// those that pass are stored, as a batch of source "replay", and their records marked
// replayed; the others stay open. Only points a stream mapping rejected can be replayed:
// their raw text is the point as received. (A malformed line has no point to replay.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/stream_mapping.h"
#include "pipeline/import_job.h"
#include "store/hub.h"

namespace fh::pipeline {

struct StreamReplayReport {
  int64_t read = 0;      // open records of the hub's stream mappings (after the filters)
  int64_t replayed = 0;  // stored now
  int64_t still_failing = 0;
  std::optional<int64_t> batch;  // the replay's ingest batch, when something was stored
  struct Failure {
    int64_t id = 0;
    std::string tag;
    std::string reasons;  // govern::FailureText
  };
  std::vector<Failure> failures;  // the first 100
};

// `governor` is the hub's stream mapping now (null: none, so every point passes).
// `options.dry_run` stores nothing and marks nothing.
Result<StreamReplayReport> ReplayStreamQuarantine(Hub& hub,
                                                  std::shared_ptr<govern::StreamGovernor> governor,
                                                  const ReplayOptions& options);

}  // namespace fh::pipeline
