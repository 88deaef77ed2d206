// A summary of a hub for `factoryhub info` and `GET /api/v1/info`.
#pragma once

#include <string>

#include "common/status.h"
#include "store/hub.h"
#include "store/storage.h"

namespace fh::analytics {

struct HubInfo {
  std::string name;
  std::string path;        // absolute
  int schema_version = 0;  // the database's newest applied migration
  std::string backend;     // storage back end ("sqlite")
  StorageStats stats;
  double bytes_per_sample = 0;  // bytes on disk / samples; 0 for an empty hub
};

// Reads the statistics (takes the hub's catalog mutex briefly for the schema version).
Result<HubInfo> GetHubInfo(Hub& hub);

}  // namespace fh::analytics
