// What a scoped principal may see (security/role.h: a path of the ISA-95 hierarchy): the
// tags whose equipment the scope covers. Routes that filter by scope resolve their tag
// patterns here, so that a tag outside the scope answers exactly as one that does not exist.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/hub.h"

namespace fh::api {

// `patterns` (names or globs) as the concrete tags `scope` covers, in order, without
// repeats; NotFound ("unknown tag 'X'", "no tag matches 'G'") as analytics::ResolveTags
// says it. An empty scope returns the patterns as they are.
Result<std::vector<std::string>> ResolveInScope(Hub& hub, std::string_view scope,
                                                const std::vector<std::string>& patterns);

// The tags `scope` covers (their equipment's path under it).
Result<std::vector<std::string>> TagsInScope(Hub& hub, std::string_view scope);

}  // namespace fh::api
