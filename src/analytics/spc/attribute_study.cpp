#include "analytics/spc/attribute_study.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "analytics/spc/inspection_groups.h"

namespace fh::analytics::spc {
namespace {

struct Counted {
  TimestampNs ts;
  int64_t inspected = 0;
  int64_t failed = 0;
};

Result<std::vector<Counted>> ReadCounts(Hub& hub, const AttributeStudyOptions& o) {
  FH_ASSIGN_OR_RETURN(std::vector<InspectionGroup> groups,
                      ReadInspectionGroups(hub, o.inspection, o.equipment, o.range));
  std::vector<Counted> out;
  for (const InspectionGroup& g : groups) {
    Counted& c = out.emplace_back();
    c.ts = g.ts;
    c.inspected = static_cast<int64_t>(g.rows.size());
    for (const Inspection& in : g.rows)
      c.failed += in.result == InspectionResult::kFail;
  }
  return out;
}

}  // namespace

Result<AttributeStudy> RunAttributeStudy(Hub& hub, const AttributeStudyOptions& o) {
  FH_ASSIGN_OR_RETURN(std::vector<Counted> counts, ReadCounts(hub, o));
  AttributeStudy study;
  // np and c compare counts, so the subgroups must be the same size: the most common one.
  if (o.chart == AttributeChart::kNp || o.chart == AttributeChart::kC) {
    std::vector<size_t> sizes;
    for (const Counted& c : counts)
      sizes.push_back(static_cast<size_t>(c.inspected));
    const auto n = static_cast<int64_t>(MostCommonSize(sizes));
    const size_t before = counts.size();
    std::erase_if(counts, [n](const Counted& c) { return c.inspected != n; });
    study.left_out = before - counts.size();
  }
  if (counts.size() < 2) {
    return InvalidArgument("inspection {} has {} subgroup(s): a chart needs 2 or more",
                           o.inspection, counts.size());
  }
  std::vector<int64_t> failed, inspected;
  std::vector<double> failed_d, inspected_d;
  for (const Counted& c : counts) {
    failed.push_back(c.failed);
    inspected.push_back(c.inspected);
    failed_d.push_back(static_cast<double>(c.failed));
    inspected_d.push_back(static_cast<double>(c.inspected));
  }
  AttributeLimits limits;
  switch (o.chart) {
    case AttributeChart::kP: {
      study.chart = "p";
      FH_ASSIGN_OR_RETURN(limits, PLimits(failed, inspected));
      break;
    }
    case AttributeChart::kNp: {
      study.chart = "np";
      FH_ASSIGN_OR_RETURN(limits, NpLimits(failed, inspected.front()));
      break;
    }
    case AttributeChart::kC: {
      study.chart = "c";
      FH_ASSIGN_OR_RETURN(limits, CLimits(failed_d));
      break;
    }
    case AttributeChart::kU: {
      study.chart = "u";
      FH_ASSIGN_OR_RETURN(limits, ULimits(failed_d, inspected_d));
      break;
    }
  }
  study.center = limits.center;
  for (size_t i = 0; i < counts.size(); ++i) {
    AttributePoint p;
    p.ts = counts[i].ts;
    p.inspected = counts[i].inspected;
    p.failed = counts[i].failed;
    p.value = o.chart == AttributeChart::kP || o.chart == AttributeChart::kU
                  ? failed_d[i] / inspected_d[i]
                  : failed_d[i];
    p.limits = limits.limits[i];
    p.out = !p.limits.Contains(p.value);
    study.points.push_back(p);
  }
  return study;
}

}  // namespace fh::analytics::spc
