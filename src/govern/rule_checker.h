// RuleChecker: a mapping's rules (RuleSpec), compiled, applied to mapped records, with
// per-rule counters for the quality report.
//
// Record rules (not_null, range, regex, in_set, reference, freshness) look at one record.
// unique remembers, within the batch, the values it has seen together with a digest of
// the record: the same values with a different record is a violation (an exact duplicate
// row is not: the pipeline counts it as a duplicate); against the store, a single-field
// unique rule asks Lookups whether another stored record already has the value.
// monotonic remembers the last time per group within the batch: a time before it is a
// violation (equal times are allowed: the later write wins).
// row_count_change is checked once per batch, against the previous batch of the source.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/entity_schema.h"
#include "govern/mapping.h"
#include "govern/record_mapper.h"
#include "govern/value.h"
#include "govern/violation.h"

namespace fh::govern {

// How often one check ran on one field and failed, for the quality report.
struct CheckTally {
  std::string rule;  // rule id, or the built-in check's name
  CheckKind check = CheckKind::kSchema;
  Severity severity = Severity::kReject;
  std::string field;
  int64_t checked = 0;
  int64_t failed = 0;
};

class CompiledRule;

class RuleChecker {
 public:
  static Result<std::unique_ptr<RuleChecker>> Make(const Mapping& mapping);
  ~RuleChecker();

  // Checks a mapped entity record; appends violations, returns whether none rejects.
  // `now_ns` is the import's time (freshness); `line`, the record's line in its source,
  // which a later record's `unique` violation names.
  bool Check(const std::vector<Value>& values, std::vector<Violation>& violations, Lookups* lookups,
             int64_t now_ns, std::optional<int64_t> line = std::nullopt);
  // Checks the samples of one record (range, in_set, not_null on "value"; monotonic and
  // freshness on "timestamp"; per "tag").
  // `line` is the record's, which a later record's `unique` violation names.
  bool CheckSamples(std::span<const MappedSample> samples, std::vector<Violation>& violations,
                    int64_t now_ns, std::optional<int64_t> line = std::nullopt);
  // The batch-level rules, once the batch's record count is known.
  void CheckBatch(int64_t records, std::optional<int64_t> previous_records,
                  std::vector<Violation>& violations);

  // Counts built-in checks too, so the report covers every reason a record can fail.
  void Tally(const Violation& v);
  void CountRecord() { ++records_; }
  // Per rule and field; built-in checks count every record as checked.
  std::vector<CheckTally> Tallies() const;

 private:
  RuleChecker() = default;
  void RegisterBuiltinChecks(const Mapping& mapping);
  std::vector<std::unique_ptr<CompiledRule>> rules_;
  std::vector<CheckTally> builtin_;
  const EntityDef* entity_ = nullptr;
  std::vector<FieldDef> fields_;  // the record's (RecordFields): entity fields, attributes
  std::vector<bool> personal_;    // by field: mask its values in violations
  int64_t records_ = 0;
};

}  // namespace fh::govern
