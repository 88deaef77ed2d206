// Who may do what: the four roles of the hub, each allowed what the ones before it are, and
// the scope a user or token is limited to (an ISA-95 path prefix: site, site/area or
// site/area/line; empty: the whole enterprise).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::security {

enum class Role : uint8_t {
  kViewer,    // reads: signals, lists, reports, alarms
  kOperator,  // and acknowledges alarms, writes live data
  kEngineer,  // and changes mappings, imports, models, alarm and SPC definitions
  kAdmin,     // and users, tokens, keys, sharing
};
std::string_view RoleName(Role role);
// "viewer", "operator", "engineer", "admin"; InvalidArgument naming them otherwise.
Result<Role> ParseRole(std::string_view text);

// What a route (or a command) needs: nothing (public), or a role at least this high.
struct Need {
  bool is_public = false;
  Role role = Role::kViewer;
  // The route answers a scoped principal with what its scope covers only (a viewer of
  // line 2 sees line 2's tags): such principals may call it. Others refuse them (403).
  bool by_scope = false;
};
inline constexpr Need kPublic{true, Role::kViewer};
inline constexpr Need kViewer{false, Role::kViewer};
inline constexpr Need kViewerByScope{false, Role::kViewer, true};
inline constexpr Need kOperator{false, Role::kOperator};
inline constexpr Need kOperatorByScope{false, Role::kOperator, true};
inline constexpr Need kEngineer{false, Role::kEngineer};
inline constexpr Need kAdmin{false, Role::kAdmin};
std::string NeedName(Need need);  // "public", "viewer", ...

// Who made a request: a user (through a password or one of their tokens) or a token of its
// own.
struct Principal {
  std::string name;  // the user, or "token:<id>" for a token without one
  Role role = Role::kViewer;
  std::string scope;     // ISA-95 path prefix; "" = everything
  int64_t token_id = 0;  // 0: a password
};

// Whether `scope` ("" = all) covers the ISA-95 path `path` ("acme/line-2" covers
// "acme/line-2" and "acme/line-2/cnc-01", not "acme/line-20").
bool ScopeCovers(std::string_view scope, std::string_view path);
// A scope as typed: segments of letters, digits, '-', '_', '.', joined by '/' ("" allowed);
// InvalidArgument otherwise.
Status ValidateScope(std::string_view scope);

}  // namespace fh::security
