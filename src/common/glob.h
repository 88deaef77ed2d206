// Shell-style glob patterns for tag names, as accepted by `query --tag 'line-1.*'` and
// `GET /api/v1/query?tag=line-1.*`.
#pragma once

#include <string_view>

namespace fh {

// True if `pattern` contains a glob metacharacter ('*' or '?'); such a pattern is matched
// against the stored tag names instead of being taken as one literal name.
bool IsGlob(std::string_view pattern);

// Matches the whole of `name`: '*' is any run of bytes (dots included), '?' is any one
// byte, everything else matches itself. Linear in |pattern| * |name| at worst.
bool GlobMatch(std::string_view pattern, std::string_view name);

}  // namespace fh
