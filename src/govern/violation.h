// Violation: why a record failed a check, kept with the record in quarantine (every
// reason, not only the first) and counted per rule in the quality report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "govern/rule_spec.h"

namespace fh::govern {

struct Violation {
  CheckKind check = CheckKind::kSchema;
  Severity severity = Severity::kReject;
  std::string rule;     // the rule's id, or the check's name for built-in checks
  std::string field;    // canonical field ("" for record-level checks)
  std::string value;    // the offending value as text
  std::string message;  // what is wrong, for people
};

// Looks things up in the hub on behalf of mapping and rules; the pipeline implements it.
class Lookups {
 public:
  virtual ~Lookups() = default;
  // The natural key of the `entity` that source `system` calls `external_id`, or nullopt.
  virtual Result<std::optional<std::string>> ResolveExternalId(std::string_view entity,
                                                               std::string_view system,
                                                               std::string_view external_id) = 0;
  // Whether a stored `entity` has natural key `key` (the entity's ref_key field).
  virtual Result<bool> Exists(std::string_view entity, std::string_view key) = 0;
  // The stored row of `entity` whose `field` equals `value`, by natural key text, if any.
  virtual Result<std::optional<std::string>> KeyWithValue(std::string_view entity,
                                                          std::string_view field,
                                                          std::string_view value) = 0;
  // The newest stored timestamp of a tag (monotonic rule on samples), if any.
  virtual Result<std::optional<int64_t>> LastTimestamp(std::string_view tag) = 0;
};

}  // namespace fh::govern
