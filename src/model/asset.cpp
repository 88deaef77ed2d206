#include "model/asset.h"

namespace fh {

AssetLevel AssetLevelForDepth(size_t segments) {
  switch (segments) {
    case 0:
    case 1:
      return AssetLevel::kEnterprise;
    case 2:
      return AssetLevel::kSite;
    case 3:
      return AssetLevel::kArea;
    case 4:
      return AssetLevel::kLine;
    default:
      return AssetLevel::kEquipment;
  }
}

Result<std::vector<std::string_view>> SplitAssetPath(std::string_view path) {
  if (path.empty()) return InvalidArgument("asset path is empty");
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty()) {
      return InvalidArgument("asset path '{}': empty segment at byte {}", path, start);
    }
    if (seg.size() > 255) {
      return InvalidArgument("asset path '{}': segment {} is longer than 255 bytes", path,
                             segments.size() + 1);
    }
    for (char c : seg) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return InvalidArgument("asset path '{}': segment '{}' holds a control character", path,
                               seg);
      }
    }
    segments.push_back(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

std::string_view ParentAssetPath(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

}  // namespace fh
