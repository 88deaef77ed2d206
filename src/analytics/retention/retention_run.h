// Applies the retention policies of retention.yaml to a hub's store once: for each tag a
// policy covers, the raw points older than `raw` are first rolled up (when the policy says
// so) into one point per interval of each aggregate, merged with a rollup already there
// (points that arrived late), and then deleted; rollups older than `rollups` are deleted.
// serve runs it every `every`; `factoryhub retention` runs it (or shows what it would do).
//
// It is safe to stop at any moment and run again: a rollup is written before the raw points
// it summarises are deleted, and writing it again gives the same points.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "analytics/retention/retention_config.h"
#include "store/storage.h"

namespace fh::analytics::retention {

struct TagRetention {
  std::string tag;
  std::string policy;
  TimestampNs cutoff = 0;     // points before it are (or would be) deleted
  int64_t deleted = 0;        // points
  int64_t rollup_points = 0;  // written
};

struct RetentionReport {
  int64_t tags_covered = 0;
  int64_t deleted = 0;
  int64_t rollup_points = 0;
  std::vector<TagRetention> tags;  // the tags it changed (or would change)
};

// `stop`, when given, is looked at between tags: set, the run ends there (what it did is
// whole, tag by tag), so that a server stops promptly during a long first run.
Result<RetentionReport> ApplyRetention(Storage& storage, const RetentionConfig& config,
                                       TimestampNs now, bool dry_run = false,
                                       const std::atomic<bool>* stop = nullptr);

}  // namespace fh::analytics::retention
