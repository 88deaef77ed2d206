#include "analytics/spc/inspection_groups.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/glob.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::analytics::spc {

Result<std::vector<InspectionGroup>> ReadInspectionGroups(Hub& hub, const std::string& inspection,
                                                          const std::string& equipment,
                                                          TimeRange range) {
  CatalogSession session = hub.OpenCatalog();
  Catalog& catalog = session.catalog();
  InspectionFilter filter;
  filter.characteristic = inspection;
  filter.range = range;
  FH_ASSIGN_OR_RETURN(std::vector<Inspection> rows, catalog.ListInspections(filter));
  std::unordered_map<int64_t, std::string> path_of;
  std::map<std::pair<TimestampNs, int64_t>, InspectionGroup> by_key;
  for (Inspection& in : rows) {
    const int64_t eq = in.equipment_id.value_or(0);
    if (!equipment.empty()) {
      auto [it, inserted] = path_of.try_emplace(eq);
      if (inserted && eq != 0) {
        FH_ASSIGN_OR_RETURN(Asset a, catalog.GetAsset(eq));
        it->second = a.path;
      }
      if (!GlobMatch(equipment, it->second)) continue;
    }
    InspectionGroup& g = by_key[{in.inspected_at, eq}];
    g.ts = in.inspected_at;
    g.rows.push_back(std::move(in));
  }
  if (by_key.empty()) {
    return NotFound("no inspection '{}'{}", inspection,
                    equipment.empty() ? "" : " on " + equipment);
  }
  std::vector<InspectionGroup> out;
  out.reserve(by_key.size());
  for (auto& [key, g] : by_key)
    out.push_back(std::move(g));
  return out;
}

size_t MostCommonSize(const std::vector<size_t>& sizes) {
  std::map<size_t, size_t> count;
  for (size_t s : sizes)
    ++count[s];
  size_t best = 0, best_count = 0;
  for (const auto& [size, n] : count) {
    if (n > best_count) {
      best = size;
      best_count = n;
    }
  }
  return best;
}

}  // namespace fh::analytics::spc
