// Reading one data-quality rule (RuleSpec) from YAML: shared by mappings
// (govern/mapping_parse.cpp) and the stream mapping (govern/stream_mapping.h).
#pragma once

#include <string_view>

#include "common/status.h"
#include "govern/rule_spec.h"
#include "govern/yaml_reader.h"

namespace fh::govern {

// One `- { rule: range, field: value, min: 0 }` item; errors name the file and position.
// A rule without `field` checks `default_field` when one is given.
Result<RuleSpec> ParseRule(const YamlReader& yaml, const YAML::Node& node,
                           std::string_view default_field = {});

}  // namespace fh::govern
