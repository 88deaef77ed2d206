// retention.yaml: how long a hub keeps its points, per tag pattern (docs/retention.md).
//
//   policies:
//     - name: machine-signals
//       tags: ["line-*.*"]          # globs (a text for one); the first policy a tag matches wins
//       raw: 30d                    # raw points older than this are deleted
//       rollup: 1m                  # optional: first kept as 1-minute aggregates
//       aggregates: [mean, min, max]   # of the rollup (count is always kept: rollups merge)
//       rollups: 730d               # optional: rollups older than this are deleted too
//   every: 1h                       # how often serve applies the policies (default 1h)
//
// A rollup of tag T is the tags T:mean_1m, T:min_1m, T:max_1m and T:count_1m, one point per
// interval at its start; rollups are never rolled up again by another policy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace fh::analytics::retention {

inline constexpr const char* kRetentionConfigFile = "retention.yaml";

struct RetentionPolicy {
  std::string name;
  std::vector<std::string> tags;  // globs
  int64_t raw_ns = 0;
  int64_t rollup_ns = 0;                // 0: no rollup
  std::vector<std::string> aggregates;  // of mean, min, max, sum; count is implied
  int64_t rollups_ns = 0;               // 0: rollups kept for ever

  bool Covers(std::string_view tag) const;
  // "T:mean_1m" for aggregate "mean" of T.
  std::string RollupTag(std::string_view tag, std::string_view aggregate) const;
};

struct RetentionConfig {
  std::vector<RetentionPolicy> policies;
  int64_t every_ns = kNanosPerHour;

  static Result<RetentionConfig> Parse(const std::string& yaml, const std::string& file);
  // The hub's retention.yaml; no file is no policies.
  static Result<RetentionConfig> Load(const std::string& path);
  // The policy covering `tag`: the first that matches, none for a rollup tag.
  const RetentionPolicy* PolicyFor(std::string_view tag) const;
};

// Whether `tag` is a rollup (name ends in ":<aggregate>_<interval>").
bool IsRollupTag(std::string_view tag);

}  // namespace fh::analytics::retention
