// AHP judgements as plan.yaml and decision files write them: a list of
// [more important, less important, how many times (1–9)], each kept with its file:line so
// that an inconsistency names where to look.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/status.h"
#include "govern/yaml_reader.h"
#include "optimize/mcda/ahp.h"

namespace fh::optimize {

Result<std::vector<Judgement>> ReadJudgements(const govern::YamlReader& reader,
                                              const YAML::Node& list, const std::string& file);

}  // namespace fh::optimize
