// The stream mapping: how live points (HTTP writes, MQTT, Sparkplug, Modbus) are governed
// before they are stored, as a file mapping governs an import. Read from the hub's
// `streams.yaml` (docs/governance.md, "Live streams"):
//
//   mapping: plant-streams
//   signals:
//     - tags: "line-*.*.process_temperature"   # glob(s) on the tag name; first match wins
//       unit: °F                               # as received ...
//       to: K                                  # ... stored converted
//       rules: [{ rule: range, min: 280, max: 360 }]   # field defaults to value
//   rules:                                     # every point, after its signal's rules
//     - { rule: freshness, field: timestamp, max_age: 30d }
//
// StreamGovernor applies it to a batch: converts, checks, and splits the batch into the
// points to store and the rejected ones, each with its violations.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "govern/rule_checker.h"
#include "govern/rule_spec.h"
#include "govern/units.h"
#include "govern/violation.h"
#include "model/sample.h"

namespace fh::govern {

struct StreamSignal {
  std::vector<std::string> tags;  // globs ('*', '?') on the stored tag name
  std::string unit;               // the unit points arrive in ("" : as stored)
  std::string to_unit;            // the unit they are stored in ("" : unit)
  std::vector<RuleSpec> rules;
  int line = 0;
};

struct StreamMapping {
  std::string name = "streams";
  std::string path;
  std::string text;  // as written: its digest is the version lineage names
  std::vector<StreamSignal> signals;
  std::vector<RuleSpec> rules;  // every point
};

// Errors name the file, line and column ("streams.yaml:7:9: rule 'range': needs min or max").
Result<StreamMapping> ParseStreamMapping(const std::string& text, const std::string& display_name);
Result<StreamMapping> LoadStreamMapping(const std::string& path);

// A point that failed a rejecting rule: as received (before any unit conversion).
struct RejectedPoint {
  size_t index = 0;  // in the batch given to StreamGovernor::Apply
  std::string tag;
  TimestampNs ts = 0;
  double value = 0;
  uint32_t quality = kQualityGood;
  std::vector<Violation> violations;
};

// "rule 'range:value': 9000 is above the maximum 6000" (each rejecting violation).
std::string FailureText(const RejectedPoint& point);

struct GovernedBatch {
  // The points to store; empty with `all_kept` when the input can be stored as it is.
  SampleBatch kept;
  bool all_kept = true;
  std::vector<RejectedPoint> rejected;
  int64_t warnings = 0;  // points stored with a warning
};

// Thread-safe: one per server, shared by every source (monotonic remembers each tag's last
// time across writes).
class StreamGovernor {
 public:
  static Result<std::unique_ptr<StreamGovernor>> Make(StreamMapping mapping);
  ~StreamGovernor();

  const StreamMapping& mapping() const { return mapping_; }
  // Converts and checks `in`. `now_ns` is the freshness rules' now.
  GovernedBatch Apply(const SampleBatch& in, int64_t now_ns);
  // Per declared rule, how many points it checked and failed since the start.
  struct RuleTally {
    std::string tags;  // the signal group's globs, comma-separated; "*" for every point
    CheckTally tally;
  };
  std::vector<RuleTally> Tallies() const;

 private:
  struct Group {
    UnitConversion conversion;
    std::unique_ptr<RuleChecker> checker;  // null: no rules
  };
  explicit StreamGovernor(StreamMapping mapping) : mapping_(std::move(mapping)) {}
  // The signal group of a tag (-1: none), cached by name.
  int GroupOf(const std::string& tag);

  StreamMapping mapping_;
  mutable std::mutex mu_;
  std::vector<Group> groups_;                      // one per signal
  std::unique_ptr<RuleChecker> every_point_;       // null: no rules
  std::unordered_map<std::string, int> group_of_;  // guarded by mu_
};

}  // namespace fh::govern
