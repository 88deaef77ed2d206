#include "analytics/spc/spc_study.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "analytics/spc/inspection_groups.h"

namespace fh::analytics::spc {
namespace {

struct TagValues {
  std::vector<TimestampNs> ts;
  std::vector<double> values;
};

Result<TagValues> ReadTag(Storage& storage, const std::string& tag, TimeRange range) {
  TagValues out;
  FH_RETURN_IF_ERROR(storage.Scan(
      tag, range,
      [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
        out.ts.insert(out.ts.end(), ts.begin(), ts.end());
        out.values.insert(out.values.end(), v.begin(), v.end());
        return true;
      }));
  return out;
}

ChartKind Resolve(ChartKind asked, int n) {
  if (asked != ChartKind::kAuto) return asked;
  if (n == 1) return ChartKind::kIndividuals;
  return n <= 10 ? ChartKind::kXbarR : ChartKind::kXbarS;
}

void AddViolations(SpcStudy& study, std::vector<RuleViolation> found, std::string_view chart,
                   size_t phase_two_from) {
  for (RuleViolation& v : found) {
    study.violations.push_back({std::string(chart), std::string(v.rule), std::string(v.what),
                                v.point, std::move(v.points), v.point >= phase_two_from});
  }
}

}  // namespace

std::string_view ChartKindName(ChartKind kind) {
  switch (kind) {
    case ChartKind::kIndividuals:
      return "i-mr";
    case ChartKind::kXbarR:
      return "xbar-r";
    case ChartKind::kXbarS:
      return "xbar-s";
    case ChartKind::kAuto:
      break;
  }
  return "auto";
}

namespace {

Status CheckGrouping(const SpcStudyOptions& o) {
  const bool tag = o.inspection.empty();
  if (tag && (o.group_by == GroupBy::kOrder || o.group_by == GroupBy::kRecorded)) {
    return InvalidArgument("a tag's values are grouped by count or time, not {}",
                           GroupByName(o.group_by));
  }
  if ((o.group_by == GroupBy::kTime) != (o.every_ns > 0)) {
    return InvalidArgument("{}", o.every_ns > 0 ? "every goes with grouping by time"
                                                : "grouping by time needs every (a duration)");
  }
  if (o.subgroup_size < 1) return InvalidArgument("subgroup {}: at least 1", o.subgroup_size);
  return Status::Ok();
}

}  // namespace

Result<SpcSubgroups> ReadSpcSubgroups(Hub& hub, const SpcStudyOptions& options) {
  FH_RETURN_IF_ERROR(CheckGrouping(options));
  SpcSubgroups out;
  if (!options.inspection.empty()) {
    FH_ASSIGN_OR_RETURN(
        std::vector<InspectionGroup> groups,
        ReadInspectionGroups(hub, options.inspection, options.equipment, options.range));
    const std::string where = options.equipment.empty() ? "" : " on " + options.equipment;
    if (options.group_by != GroupBy::kDefault && options.group_by != GroupBy::kRecorded) {
      // The measured rows in time order, grouped again.
      std::vector<TimestampNs> ts;
      std::vector<double> values;
      std::vector<std::optional<int64_t>> orders;
      for (const InspectionGroup& g : groups) {
        for (const Inspection& in : g.rows) {
          if (!in.value) continue;
          ts.push_back(in.inspected_at);
          values.push_back(*in.value);
          orders.push_back(in.work_order_id);
          out.recorded_spec = {in.lsl, in.usl, in.target};
        }
      }
      if (values.empty()) {
        return NotFound("no measured inspection '{}'{} (the rows found have no value)",
                        options.inspection, where);
      }
      Subgrouped s = GroupValues(ts, values, options.group_by, options.subgroup_size,
                                 options.every_ns, orders);
      out.values = values.size();
      out.left_out = s.left_out;
      out.groups = std::move(s.groups);
      out.ts = std::move(s.ts);
      return out;
    }
    std::vector<std::vector<double>> measured;
    std::vector<size_t> sizes;
    for (const InspectionGroup& g : groups) {
      std::vector<double>& values = measured.emplace_back();
      for (const Inspection& in : g.rows) {
        if (!in.value) continue;
        values.push_back(*in.value);
        out.recorded_spec = {in.lsl, in.usl, in.target};
      }
      if (!values.empty()) sizes.push_back(values.size());
    }
    if (sizes.empty()) {
      return NotFound("no measured inspection '{}'{} (the rows found have no value)",
                      options.inspection, where);
    }
    // The charts need one subgroup size: the most common one.
    const size_t n = MostCommonSize(sizes);
    for (size_t i = 0; i < groups.size(); ++i) {
      if (measured[i].empty()) continue;
      out.values += measured[i].size();
      if (measured[i].size() != n) {
        ++out.left_out;
        continue;
      }
      out.ts.push_back(groups[i].ts);
      out.groups.push_back(std::move(measured[i]));
    }
    return out;
  }
  FH_ASSIGN_OR_RETURN(TagValues data, ReadTag(hub.storage(), options.tag, options.range));
  out.values = data.values.size();
  Subgrouped s = GroupValues(data.ts, data.values,
                             options.group_by == GroupBy::kTime ? GroupBy::kTime : GroupBy::kCount,
                             options.subgroup_size, options.every_ns);
  out.left_out = s.left_out;
  out.groups = std::move(s.groups);
  out.ts = std::move(s.ts);
  return out;
}

Result<SpcStudy> RunSpcStudy(Hub& hub, const SpcStudyOptions& options) {
  FH_ASSIGN_OR_RETURN(SpcSubgroups data, ReadSpcSubgroups(hub, options));
  return StudySubgroups(data, options);
}

Result<SpcStudy> StudySubgroups(const SpcSubgroups& data, const SpcStudyOptions& options) {
  const std::vector<std::vector<double>>& groups = data.groups;
  const std::string what =
      options.inspection.empty() ? "tag " + options.tag : "inspection " + options.inspection;
  if (groups.size() < 2) {
    return InvalidArgument(
        "{} has {} values in the range: fewer than 2 subgroups{}", what, data.values,
        options.inspection.empty() ? fmt::format(" of {}", options.subgroup_size) : "");
  }
  const int n = static_cast<int>(groups.front().size());
  const ChartKind kind = Resolve(options.chart, n);
  if ((kind == ChartKind::kIndividuals) != (n == 1)) {
    return InvalidArgument("an {} chart needs {}", ChartKindName(kind),
                           n == 1 ? "subgroups of 2 or more (--subgroup)" : "--subgroup 1");
  }
  SpcStudy study;
  study.values = data.values;
  study.left_out = data.left_out;
  const FrozenLimits* frozen = options.frozen ? &*options.frozen : nullptr;
  if (frozen && frozen->chart != ChartKindName(kind)) {
    return InvalidArgument("limits v{} were frozen for an {} chart, not {}", frozen->version,
                           frozen->chart, ChartKindName(kind));
  }
  if (frozen && frozen->limits.subgroup_size != n) {
    return InvalidArgument("limits v{} were frozen for subgroups of {}; these are of {}",
                           frozen->version, frozen->limits.subgroup_size, n);
  }
  const size_t baseline = frozen
                              ? static_cast<size_t>(std::upper_bound(data.ts.begin(), data.ts.end(),
                                                                     frozen->baseline_to) -
                                                    data.ts.begin())
                          : options.baseline == 0 ? groups.size()
                                                  : std::min(options.baseline, groups.size());
  const std::vector<std::vector<double>> phase_one(
      groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(baseline));
  std::vector<double> location, spread;
  if (kind == ChartKind::kIndividuals) {
    std::vector<double> baseline_values;
    for (const auto& g : phase_one)
      baseline_values.push_back(g[0]);
    if (!frozen) {
      FH_ASSIGN_OR_RETURN(study.limits, IndividualsLimits(baseline_values));
    }
    for (const auto& g : groups)
      location.push_back(g[0]);
    spread.push_back(0);
    const std::vector<double> mr = MovingRanges(location);
    spread.insert(spread.end(), mr.begin(), mr.end());
    study.location_chart = "i";
    study.spread_chart = "mr";
  } else {
    if (frozen) {
      // The frozen limits stand.
    } else if (kind == ChartKind::kXbarR && options.revise) {
      FH_ASSIGN_OR_RETURN(RevisedLimits r, XbarRLimitsRevised(phase_one));
      study.limits = r.limits;
      study.excluded = r.excluded;
    } else if (kind == ChartKind::kXbarR) {
      FH_ASSIGN_OR_RETURN(study.limits, XbarRLimits(phase_one));
    } else {
      FH_ASSIGN_OR_RETURN(study.limits, XbarSLimits(phase_one));
    }
    location = SubgroupMeans(groups);
    spread = kind == ChartKind::kXbarR ? SubgroupRanges(groups) : SubgroupSds(groups);
    study.location_chart = "xbar";
    study.spread_chart = kind == ChartKind::kXbarR ? "r" : "s";
  }
  if (frozen) study.limits = frozen->limits;
  for (size_t i = 0; i < groups.size(); ++i) {
    SubgroupPoint p;
    p.index = i;
    p.ts = data.ts[i];
    p.location = location[i];
    p.spread = spread[i];
    p.phase_two = i >= baseline;
    p.excluded = std::find(study.excluded.begin(), study.excluded.end(), i) != study.excluded.end();
    study.points.push_back(p);
  }
  AddViolations(study,
                CheckRules(location, study.limits.location, options.rules, options.enabled_rules),
                study.location_chart, baseline);
  const size_t first_spread = kind == ChartKind::kIndividuals ? 1 : 0;
  for (size_t i = first_spread; i < spread.size(); ++i) {
    if (!study.limits.spread.Contains(spread[i])) {
      study.violations.push_back({study.spread_chart,
                                  "beyond-limits",
                                  "one point outside the control limits",
                                  i,
                                  {i},
                                  i >= baseline});
    }
  }
  const SpecLimits spec =
      options.spec.lower || options.spec.upper ? options.spec : data.recorded_spec;
  if ((spec.lower || spec.upper) && !phase_one.empty()) {
    std::vector<double> values;
    for (size_t i = 0; i < phase_one.size(); ++i) {
      if (std::find(study.excluded.begin(), study.excluded.end(), i) != study.excluded.end())
        continue;
      values.insert(values.end(), phase_one[i].begin(), phase_one[i].end());
    }
    FH_ASSIGN_OR_RETURN(study.capability,
                        ComputeCapability(values, study.limits.sigma_within, spec));
  }
  return study;
}

}  // namespace fh::analytics::spc
