// `factoryhub check`: whether a hub's database is sound, read without writing anything
// (so it runs on a full disk or a read-only copy too).
//
// What it checks, each problem named with where it is:
//   - SQLite's own structure (PRAGMA integrity_check, or quick_check when asked);
//   - every declared reference (PRAGMA foreign_key_check), e.g. a lineage row whose batch
//     is missing, a chunk whose tag is missing;
//   - the references SQLite does not know: a crosswalk row's canonical_id in the table its
//     entity names;
//   - every compressed chunk: it decodes, and its points agree with its row (count, first
//     and last time, times strictly increasing, min/max/sum);
//   - every write log entry: it decodes, its tags exist, its sequence is one the store
//     handed out;
//   - the store's counters (ts_meta): present, and no chunk or buffered row newer than
//     the last write sequence.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace fh {

struct CheckProblem {
  std::string check;  // which check found it: "database", "references", "chunks", ...
  std::string where;  // table and row, tag and chunk
  std::string what;
};

struct CheckReport {
  std::vector<CheckProblem> problems;
  int64_t chunks = 0;       // chunks decoded
  int64_t log_entries = 0;  // write log entries decoded
  int64_t references = 0;   // crosswalk rows whose target was looked up
  bool ok() const { return problems.empty(); }
};

struct CheckOptions {
  bool quick = false;  // PRAGMA quick_check instead of integrity_check (skips index contents)
  // Stops listing after this many problems (the report says so); a badly damaged file
  // must not print millions of lines.
  size_t max_problems = 1000;
};

// Checks the hub in `dir`. A Status error means the check itself could not run (no hub,
// unreadable file); problems found are in the report.
Result<CheckReport> CheckHub(const std::filesystem::path& dir, const CheckOptions& options);

}  // namespace fh
