#include "api/route_scope.h"

#include <algorithm>
#include <unordered_set>

#include "common/glob.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::api {

Result<std::vector<std::string>> TagsInScope(Hub& hub, std::string_view scope) {
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<TagListing> listed, session.catalog().ListTags(scope));
  std::vector<std::string> names;
  names.reserve(listed.size());
  for (TagListing& l : listed) {
    if (!l.equipment_path.empty()) names.push_back(std::move(l.tag.name));
  }
  return names;
}

Result<std::vector<std::string>> ResolveInScope(Hub& hub, std::string_view scope,
                                                const std::vector<std::string>& patterns) {
  if (scope.empty()) return patterns;
  FH_ASSIGN_OR_RETURN(std::vector<std::string> visible, TagsInScope(hub, scope));
  std::sort(visible.begin(), visible.end());
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& pattern : patterns) {
    if (IsGlob(pattern)) {
      bool matched = false;
      for (const std::string& name : visible) {
        if (!GlobMatch(pattern, name)) continue;
        matched = true;
        if (seen.insert(name).second) out.push_back(name);
      }
      if (!matched) return NotFound("no tag matches '{}'", pattern);
    } else {
      if (!std::binary_search(visible.begin(), visible.end(), pattern)) {
        return NotFound("unknown tag '{}'", pattern);
      }
      if (seen.insert(pattern).second) out.push_back(pattern);
    }
  }
  return out;
}

}  // namespace fh::api
