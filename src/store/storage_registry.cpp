#include "store/storage_registry.h"

#include <array>
#include <string>

#include "store/clickhouse/clickhouse_storage.h"
#include "store/sqlite_storage/sqlite_storage.h"

namespace fh {
namespace {

Result<std::unique_ptr<Storage>> OpenSqlite(const std::filesystem::path& hub_dir,
                                            const StorageConfig& config,
                                            const std::string& read_only_reason) {
  FH_ASSIGN_OR_RETURN(auto storage,
                      sqlite::SqliteStorage::Open(hub_dir / kHubDbFile, config, read_only_reason));
  return std::unique_ptr<Storage>(std::move(storage));
}

Result<std::unique_ptr<Storage>> OpenClickHouse(const std::filesystem::path&,
                                                const StorageConfig& config,
                                                const std::string& read_only_reason) {
  FH_ASSIGN_OR_RETURN(auto storage, clickhouse::ClickHouseStorage::Open(config, read_only_reason));
  return std::unique_ptr<Storage>(std::move(storage));
}

constexpr std::array kBackends = {
    StorageBackend{"sqlite", "embedded: compressed column chunks in the hub's SQLite file",
                   &OpenSqlite},
    StorageBackend{"clickhouse",
                   "a ClickHouse server (storage.clickhouse): MergeTree tables shared by sites",
                   &OpenClickHouse},
};

}  // namespace

std::span<const StorageBackend> StorageBackends() {
  return kBackends;
}

Result<std::unique_ptr<Storage>> OpenStorage(const std::filesystem::path& hub_dir,
                                             const StorageConfig& config,
                                             const std::string& read_only_reason) {
  std::string known;
  for (const StorageBackend& b : kBackends) {
    if (b.name == config.backend) return b.open(hub_dir, config, read_only_reason);
    known += known.empty() ? std::string(b.name) : ", " + std::string(b.name);
  }
  return InvalidArgument("storage.backend: unknown back end '{}' (known: {})", config.backend,
                         known);
}

}  // namespace fh
