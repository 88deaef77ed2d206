#include "analytics/spc/frozen_limits.h"

#include <vector>

#include "analytics/spc/inspection_groups.h"
#include "common/time.h"
#include "store/catalog_session.h"
#include "store/models/spc_limit_store.h"

namespace fh::analytics::spc {
namespace {

FrozenLimits FromStored(const StoredSpcLimits& s) {
  FrozenLimits f;
  f.version = s.version;
  f.chart = s.chart;
  f.limits.location = {s.location_center, s.location_lower, s.location_upper};
  f.limits.spread = {s.spread_center, s.spread_lower, s.spread_upper};
  f.limits.sigma_within = s.sigma_within;
  f.limits.subgroup_size = s.subgroup_size;
  f.baseline_from = s.baseline_from;
  f.baseline_to = s.baseline_to;
  f.subgroups = static_cast<size_t>(s.subgroups);
  f.frozen_at = s.frozen_at;
  f.note = s.note.value_or("");
  return f;
}

// An attribute chart's center from its baseline subgroups, stored with the limits around
// it at the baseline's most common subgroup size (what np and c are charted at).
Result<StoredSpcLimits> FreezeAttributeCenter(Hub& hub, const Characteristic& c, TimeRange range) {
  AttributeStudyOptions a;
  a.inspection = c.study.inspection;
  a.equipment = c.study.equipment;
  a.range = range;
  a.chart = *c.attribute;
  a.baseline = c.study.baseline;
  FH_ASSIGN_OR_RETURN(AttributeStudy study, RunAttributeStudy(hub, a));
  std::vector<size_t> sizes;
  std::vector<const AttributePoint*> phase_one;
  for (const AttributePoint& p : study.points) {
    if (p.phase_two) continue;
    phase_one.push_back(&p);
    sizes.push_back(static_cast<size_t>(p.inspected));
  }
  const size_t n = MostCommonSize(sizes);
  const ControlLimits at_n =
      AttributeLimitsAround(*c.attribute, study.center, static_cast<double>(n));
  StoredSpcLimits s;
  s.chart = study.chart;
  s.subgroup_size = static_cast<int>(n);
  s.location_center = at_n.center;
  s.location_lower = at_n.lower;
  s.location_upper = at_n.upper;
  s.baseline_from = phase_one.front()->ts;
  s.baseline_to = phase_one.back()->ts;
  s.subgroups = static_cast<int64_t>(phase_one.size());
  return s;
}

// The variables charts' limits from the baseline subgroups.
Result<StoredSpcLimits> FreezeVariablesLimits(Hub& hub, const Characteristic& c, TimeRange range) {
  SpcStudyOptions options = c.study;
  options.range = range;
  options.frozen.reset();
  FH_ASSIGN_OR_RETURN(SpcStudy study, RunSpcStudy(hub, options));
  std::vector<const SubgroupPoint*> phase_one;
  for (const SubgroupPoint& p : study.points) {
    if (!p.phase_two) phase_one.push_back(&p);
  }
  StoredSpcLimits s;
  s.chart = study.location_chart + "-" + study.spread_chart;
  s.subgroup_size = study.limits.subgroup_size;
  s.location_center = study.limits.location.center;
  s.location_lower = study.limits.location.lower;
  s.location_upper = study.limits.location.upper;
  s.spread_center = study.limits.spread.center;
  s.spread_lower = study.limits.spread.lower;
  s.spread_upper = study.limits.spread.upper;
  s.sigma_within = study.limits.sigma_within;
  s.baseline_from = phase_one.front()->ts;
  s.baseline_to = phase_one.back()->ts;
  s.subgroups = static_cast<int64_t>(phase_one.size());
  return s;
}

}  // namespace

Result<FrozenLimits> FreezeLimits(Hub& hub, const Characteristic& c, TimeRange range,
                                  const std::string& note) {
  FH_ASSIGN_OR_RETURN(StoredSpcLimits s, c.attribute ? FreezeAttributeCenter(hub, c, range)
                                                     : FreezeVariablesLimits(hub, c, range));
  s.characteristic = c.name;
  s.frozen_at = NowNs() / kNanosPerSecond * kNanosPerSecond;  // to the second, as shown
  if (!note.empty()) s.note = note;
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(s.version, session.spc_limits().Freeze(s));
  return FromStored(s);
}

Result<std::optional<FrozenLimits>> LatestLimits(Hub& hub, const std::string& characteristic) {
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::optional<StoredSpcLimits> s,
                      session.spc_limits().Latest(characteristic));
  if (!s) return std::optional<FrozenLimits>();
  return std::optional<FrozenLimits>(FromStored(*s));
}

Result<std::vector<FrozenLimits>> LimitHistory(Hub& hub, const std::string& characteristic) {
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<StoredSpcLimits> all,
                      session.spc_limits().History(characteristic));
  std::vector<FrozenLimits> out;
  for (const StoredSpcLimits& s : all)
    out.push_back(FromStored(s));
  return out;
}

}  // namespace fh::analytics::spc
