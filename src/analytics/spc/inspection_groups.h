// Inspection results as SPC subgroups: the rows of one characteristic that share an
// inspected_at and a machine, in time order, on the machines whose path matches a glob.
// What the variables charts (spc_study.h) and the attribute charts (attribute_study.h)
// read, and the rule for which subgroup size they chart.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/quality.h"
#include "store/hub.h"

namespace fh::analytics::spc {

struct InspectionGroup {
  TimestampNs ts = 0;
  std::vector<Inspection> rows;  // by sample_no
};

// `equipment` empty: any machine (and rows without one). NotFound when nothing matches.
Result<std::vector<InspectionGroup>> ReadInspectionGroups(Hub& hub, const std::string& inspection,
                                                          const std::string& equipment,
                                                          TimeRange range);

// The most common of `sizes` (the smallest of equally common ones): the size a chart that
// needs one subgroup size uses, the others being left out.
size_t MostCommonSize(const std::vector<size_t>& sizes);

}  // namespace fh::analytics::spc
