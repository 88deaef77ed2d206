#include "security/role.h"

#include <array>
#include <utility>

namespace fh::security {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames = {{
    {Role::kViewer, "viewer"},
    {Role::kOperator, "operator"},
    {Role::kEngineer, "engineer"},
    {Role::kAdmin, "admin"},
}};

bool SegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view text) {
  for (const auto& [r, name] : kRoleNames) {
    if (name == text) return r;
  }
  return InvalidArgument("unknown role '{}': viewer, operator, engineer or admin", text);
}

std::string NeedName(Need need) {
  return need.is_public ? "public" : std::string(RoleName(need.role));
}

bool ScopeCovers(std::string_view scope, std::string_view path) {
  if (scope.empty()) return true;
  if (path.size() < scope.size() || path.substr(0, scope.size()) != scope) return false;
  return path.size() == scope.size() || path[scope.size()] == '/';
}

Status ValidateScope(std::string_view scope) {
  if (scope.empty()) return Status::Ok();
  size_t start = 0;
  while (start <= scope.size()) {
    const size_t end = std::min(scope.find('/', start), scope.size());
    const std::string_view segment = scope.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return InvalidArgument("scope '{}': an ISA-95 path such as acme/plant-1/line-2", scope);
    }
    for (char c : segment) {
      if (!SegmentChar(c)) {
        return InvalidArgument("scope '{}': '{}' is not allowed in a path segment", scope,
                               std::string(1, c));
      }
    }
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace fh::security
