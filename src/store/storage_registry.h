// The storage back ends this build knows, by the name used in factoryhub.yaml
// (storage.backend). Adding a back end is one entry here, not an `if` chain elsewhere.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "store/hub.h"
#include "store/storage.h"

namespace fh {

struct StorageBackend {
  std::string_view name;
  std::string_view description;
  // read_only_reason: empty to open for writing; otherwise write nothing, and writes fail
  // as FailedPrecondition giving this reason.
  Result<std::unique_ptr<Storage>> (*open)(const std::filesystem::path& hub_dir,
                                           const StorageConfig& config,
                                           const std::string& read_only_reason);
};

std::span<const StorageBackend> StorageBackends();

// Opens the back end named by config.backend; InvalidArgument listing the known ones if
// there is no such back end.
Result<std::unique_ptr<Storage>> OpenStorage(const std::filesystem::path& hub_dir,
                                             const StorageConfig& config,
                                             const std::string& read_only_reason = "");

}  // namespace fh
