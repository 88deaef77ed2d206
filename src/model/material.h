// Materials and products (ISA-95 material definitions). A product is a material of kind
// product; the same material under other systems' codes is found through the crosswalk
// (model/entity.h, ExternalId).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"

namespace fh {

enum class MaterialKind { kRaw, kIntermediate, kProduct };
inline constexpr EnumNames<MaterialKind, 3> kMaterialKindNames = {{
    {MaterialKind::kRaw, "raw"},
    {MaterialKind::kIntermediate, "intermediate"},
    {MaterialKind::kProduct, "product"},
}};
inline std::string_view ToString(MaterialKind v) {
  return EnumToString(kMaterialKindNames, v);
}
inline Result<MaterialKind> ParseMaterialKind(std::string_view s) {
  return EnumParse(kMaterialKindNames, "material kind", s);
}

// Natural key: code (the canonical material number).
struct Material {
  int64_t id = 0;
  std::string code;  // "M-100"
  std::string name;
  MaterialKind kind = MaterialKind::kRaw;
  std::optional<std::string> unit;  // base unit of measure ("kg", "pcs")
  std::optional<std::string> description;
  Lineage lineage;
  bool operator==(const Material&) const = default;
};

}  // namespace fh
