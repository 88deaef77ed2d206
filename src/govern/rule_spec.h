// RuleSpec: a declarative data-quality rule on a mapping's canonical fields (YAML, see
// docs/mappings.md), and the DAMA dimension each kind of check reports under.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fh::govern {

// The checks a record can fail. The first nine are rules a mapping declares; the rest are
// built into mapping and storing, so that every rejection has a named reason.
enum class CheckKind {
  kNotNull,
  kUnique,          // within the batch and against the store
  kRange,           // min <= value <= max (numbers and times)
  kRegex,           // the whole text matches
  kInSet,           // one of `values`
  kReference,       // a reference field names a stored record
  kMonotonic,       // time increases per `per` field (per tag for samples)
  kFreshness,       // time is no older than max_age at import
  kCompare,         // field op other field (planned_end >= planned_start)
  kRowCountChange,  // the batch's record count vs the previous batch of this source
  kRequired,        // built in: a required field has no value
  kCast,            // built in: text is not a number, time, boolean, enum value
  kCodeTable,       // built in: a code missing from the field's code table
  kCrosswalk,       // built in: an external id that the crosswalk does not know
  kSchema,          // built in: the store refused the record (a constraint)
  kKey,             // built in: an earlier record of the batch has its key, other values
};
std::string_view ToString(CheckKind kind);
std::optional<CheckKind> ParseRuleKind(std::string_view name);   // declarable kinds only
std::optional<CheckKind> ParseCheckKind(std::string_view name);  // any kind

enum class Severity { kReject, kWarn };
std::string_view ToString(Severity s);

// DAMA data-quality dimensions.
enum class QualityDimension { kCompleteness, kValidity, kUniqueness, kTimeliness, kConsistency };
std::string_view ToString(QualityDimension d);
QualityDimension DimensionOf(CheckKind kind);

struct RuleSpec {
  std::string id;  // unique within the mapping; default "<kind>:<fields>"
  CheckKind kind = CheckKind::kNotNull;
  Severity severity = Severity::kReject;
  std::vector<std::string> fields;  // one field; unique may name several
  std::optional<double> min;        // range on numbers
  std::optional<double> max;
  std::optional<int64_t> min_time;  // range on times (ns)
  std::optional<int64_t> max_time;
  std::string pattern;              // regex (RE2 syntax)
  std::vector<std::string> values;  // in_set
  std::string per;                  // monotonic: group by this field
  int64_t max_age_ns = 0;           // freshness
  double max_change = 0.5;          // row_count_change: allowed relative change
  std::string op;                   // compare: < <= > >= == !=
  std::string other;                // compare: the field compared with
  int line = 0;                     // where it was declared
};

}  // namespace fh::govern
