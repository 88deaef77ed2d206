#include "analytics/spc/attribute_study.h"

#include <algorithm>
#include <cmath>
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

constexpr std::string_view kAttributeChartNames[] = {"p", "np", "c", "u"};

}  // namespace

std::string_view AttributeChartName(AttributeChart chart) {
  return kAttributeChartNames[static_cast<int>(chart)];
}

std::optional<AttributeChart> ParseAttributeChart(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kAttributeChartNames[i] == name) return static_cast<AttributeChart>(i);
  }
  return std::nullopt;
}

ControlLimits AttributeLimitsAround(AttributeChart chart, double center, double n) {
  double half = 0;
  switch (chart) {
    case AttributeChart::kP:
      half = 3 * std::sqrt(center * (1 - center) / n);
      break;
    case AttributeChart::kNp:
      half = 3 * std::sqrt(center * (1 - center / n));
      break;
    case AttributeChart::kC:
      half = 3 * std::sqrt(center);
      break;
    case AttributeChart::kU:
      half = 3 * std::sqrt(center / n);
      break;
  }
  ControlLimits l{center, std::max(0.0, center - half), center + half};
  if (chart == AttributeChart::kP) l.upper = std::min(1.0, l.upper);
  return l;
}

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
  const size_t baseline =
      o.center ? 0 : (o.baseline == 0 ? counts.size() : std::min(o.baseline, counts.size()));
  for (size_t k : o.exclude) {
    if (k < 1 || k > baseline) {
      return InvalidArgument("exclude {}: not a phase-I subgroup (1 to {})", k, baseline);
    }
  }
  auto excluded = [&](size_t i) {
    return std::find(o.exclude.begin(), o.exclude.end(), i + 1) != o.exclude.end();
  };
  // The center from the phase-I subgroups kept.
  std::vector<int64_t> failed, inspected;
  std::vector<double> failed_d, inspected_d;
  for (size_t i = 0; i < baseline; ++i) {
    if (excluded(i)) continue;
    failed.push_back(counts[i].failed);
    inspected.push_back(counts[i].inspected);
    failed_d.push_back(static_cast<double>(counts[i].failed));
    inspected_d.push_back(static_cast<double>(counts[i].inspected));
  }
  if (!o.center && failed.size() < 2) {
    return InvalidArgument("inspection {}: {} phase-I subgroup(s) left to estimate from: 2 or more",
                           o.inspection, failed.size());
  }
  study.chart = std::string(AttributeChartName(o.chart));
  if (o.center) {
    if (*o.center < 0 || (o.chart == AttributeChart::kP && *o.center > 1)) {
      return InvalidArgument("center {} is not a possible {}", *o.center, study.chart);
    }
    study.center = *o.center;
  } else {
    AttributeLimits phase_one;
    switch (o.chart) {
      case AttributeChart::kP: {
        FH_ASSIGN_OR_RETURN(phase_one, PLimits(failed, inspected));
        break;
      }
      case AttributeChart::kNp: {
        FH_ASSIGN_OR_RETURN(phase_one, NpLimits(failed, inspected.front()));
        break;
      }
      case AttributeChart::kC: {
        FH_ASSIGN_OR_RETURN(phase_one, CLimits(failed_d));
        break;
      }
      case AttributeChart::kU: {
        FH_ASSIGN_OR_RETURN(phase_one, ULimits(failed_d, inspected_d));
        break;
      }
    }
    study.center = phase_one.center;
  }
  study.baseline = baseline;
  for (size_t i = 0; i < counts.size(); ++i) {
    AttributePoint p;
    p.ts = counts[i].ts;
    p.inspected = counts[i].inspected;
    p.failed = counts[i].failed;
    const double d = static_cast<double>(p.failed), n = static_cast<double>(p.inspected);
    p.value = o.chart == AttributeChart::kP || o.chart == AttributeChart::kU ? d / n : d;
    p.limits = AttributeLimitsAround(o.chart, study.center, n);
    p.out = !p.limits.Contains(p.value);
    p.phase_two = o.center ? p.ts > o.frozen_baseline_to : i >= baseline;
    p.excluded = excluded(i);
    study.points.push_back(p);
  }
  return study;
}

}  // namespace fh::analytics::spc
