#include <algorithm>

#include "govern/expression.h"
#include "govern/mapping.h"

namespace fh::govern {

std::vector<std::string> PersonalColumns(const Mapping& mapping) {
  std::vector<std::string> out;
  for (const auto* list : {&mapping.fields, &mapping.attributes}) {
    for (const FieldMapping& f : *list) {
      if (!f.personal) continue;
      out.insert(out.end(), f.from.begin(), f.from.end());
      if (!f.unit_from.empty()) out.push_back(f.unit_from);
      if (f.expr) {
        Result<Expression> e = Expression::Compile(*f.expr);
        if (e.ok()) out.insert(out.end(), e->variables().begin(), e->variables().end());
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace fh::govern
