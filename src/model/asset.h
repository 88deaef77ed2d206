// The ISA-95 equipment hierarchy: enterprise / site / area / line / equipment.
//
// Every asset is named by its path, the names of its ancestors and itself joined by '/':
// "acme/shanghai/assembly/line-1/press-01". The level follows from the depth: the first
// segment is the enterprise, the fifth and any deeper ones (components of a machine,
// "…/press-01/hydraulics") are equipment. A plant without areas uses one area ("main").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_names.h"
#include "model/lineage.h"

namespace fh {

enum class AssetLevel { kEnterprise, kSite, kArea, kLine, kEquipment };
inline constexpr EnumNames<AssetLevel, 5> kAssetLevelNames = {{
    {AssetLevel::kEnterprise, "enterprise"},
    {AssetLevel::kSite, "site"},
    {AssetLevel::kArea, "area"},
    {AssetLevel::kLine, "line"},
    {AssetLevel::kEquipment, "equipment"},
}};
inline std::string_view ToString(AssetLevel v) {
  return EnumToString(kAssetLevelNames, v);
}
inline Result<AssetLevel> ParseAssetLevel(std::string_view s) {
  return EnumParse(kAssetLevelNames, "asset level", s);
}

// Natural key: path.
struct Asset {
  int64_t id = 0;
  std::optional<int64_t> parent_id;  // derived from path on upsert; none for an enterprise
  AssetLevel level = AssetLevel::kEquipment;
  std::string name;  // the last path segment (derived from path on upsert)
  std::string path;
  std::optional<std::string> description;
  Lineage lineage;
  bool operator==(const Asset&) const = default;
};

// The level of an asset whose path has `segments` segments (1 = enterprise).
AssetLevel AssetLevelForDepth(size_t segments);

// Splits a path into its segments. Each segment must be non-empty, without '/' or control
// characters, and at most 255 bytes; the error names the path and the bad segment.
Result<std::vector<std::string_view>> SplitAssetPath(std::string_view path);

// The path of the parent ("acme/shanghai" for "acme/shanghai/assembly"); empty for a root.
std::string_view ParentAssetPath(std::string_view path);

}  // namespace fh
