#include "analytics/hub_info.h"

#include <filesystem>

namespace fh::analytics {

Result<HubInfo> GetHubInfo(Hub& hub) {
  HubInfo info;
  info.name = hub.config().name;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(hub.dir(), ec);
  info.path = (ec ? hub.dir() : abs).lexically_normal().string();
  info.backend = hub.config().storage.backend;
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(info.schema_version, session.SchemaVersion());
  }
  FH_ASSIGN_OR_RETURN(info.stats, hub.storage().Stats());
  if (info.stats.samples > 0) {
    info.bytes_per_sample =
        static_cast<double>(info.stats.bytes_on_disk) / static_cast<double>(info.stats.samples);
  }
  return info;
}

}  // namespace fh::analytics
