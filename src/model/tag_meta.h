// Tag metadata: what a time-series signal measures and on which equipment. The samples
// themselves live in the Storage (store/storage.h); this is the descriptive side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"

namespace fh {

// How a signal's values are meant: the store keeps every value as a double, so this is
// the meaning (an int or bool tag only ever holds whole numbers / 0 and 1).
enum class TagDataType { kDouble, kInt, kBool };
inline constexpr EnumNames<TagDataType, 3> kTagDataTypeNames = {{
    {TagDataType::kDouble, "double"},
    {TagDataType::kInt, "int"},
    {TagDataType::kBool, "bool"},
}};
inline std::string_view ToString(TagDataType v) {
  return EnumToString(kTagDataTypeNames, v);
}
inline Result<TagDataType> ParseTagDataType(std::string_view s) {
  return EnumParse(kTagDataTypeNames, "tag data type", s);
}

// Natural key: name (the signal name used when writing samples).
struct TagMeta {
  int64_t id = 0;
  std::string name;                     // "line-1.press-01.pressure"
  std::optional<int64_t> equipment_id;  // asset.id
  std::optional<std::string> unit;      // canonical unit after mapping ("bar", "degC")
  TagDataType data_type = TagDataType::kDouble;
  std::optional<double> lo_limit;  // engineering limits, in `unit`; lo <= hi
  std::optional<double> hi_limit;
  std::optional<std::string> description;
  Lineage lineage;
  bool operator==(const TagMeta&) const = default;
};

}  // namespace fh
