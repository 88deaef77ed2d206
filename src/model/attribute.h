// Attribute: a custom attribute of a stored record — a value a source has that the
// canonical model has no field for (an ERP's standard cost and valid-from date, a
// customer's e-mail and phone). A mapping declares them (docs/mappings.md, `attributes:`),
// with a type, so rules can check them and `factoryhub records` can select by them.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "common/enum_names.h"

namespace fh {

enum class AttributeType { kText, kReal, kInt, kTime, kBool };
inline constexpr EnumNames<AttributeType, 5> kAttributeTypeNames = {{
    {AttributeType::kText, "text"},
    {AttributeType::kReal, "real"},
    {AttributeType::kInt, "int"},
    {AttributeType::kTime, "time"},
    {AttributeType::kBool, "bool"},
}};
inline std::string_view ToString(AttributeType v) {
  return EnumToString(kAttributeTypeNames, v);
}
inline Result<AttributeType> ParseAttributeType(std::string_view s) {
  return EnumParse(kAttributeTypeNames, "attribute type", s);
}

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::kText;
  // Null (monostate) removes a stored attribute; text for kText, double for kReal, int64 for
  // kInt, kTime (ns since the epoch, UTC) and kBool (0/1).
  std::variant<std::monostate, std::string, double, int64_t> value;
  bool operator==(const Attribute&) const = default;
};

}  // namespace fh
