#include "analytics/spc/frozen_limits.h"

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

}  // namespace

Result<FrozenLimits> FreezeLimits(Hub& hub, const Characteristic& c, TimeRange range,
                                  const std::string& note) {
  SpcStudyOptions options = c.study;
  options.range = range;
  options.frozen.reset();
  FH_ASSIGN_OR_RETURN(SpcStudy study, RunSpcStudy(hub, options));
  std::vector<const SubgroupPoint*> phase_one;
  for (const SubgroupPoint& p : study.points) {
    if (!p.phase_two) phase_one.push_back(&p);
  }
  StoredSpcLimits s;
  s.characteristic = c.name;
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
