#include "store/hub.h"

#include <fstream>
#include <sstream>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/storage_registry.h"

namespace fh {

namespace fs = std::filesystem;

Hub::~Hub() = default;

Status Hub::Init(const fs::path& dir, const HubConfig& config) {
  std::error_code ec;
  if (fs::exists(dir / kHubConfigFile, ec) || fs::exists(dir / kHubDbFile, ec)) {
    return AlreadyExists("{} already holds a hub", dir.string());
  }
  fs::create_directories(dir, ec);
  if (ec) return IOError("cannot create {}: {}", dir.string(), ec.message());
  {
    std::ofstream out(dir / kHubConfigFile);
    out << config.ToYaml();
    out.close();
    if (!out) return IOError("cannot write {}", (dir / kHubConfigFile).string());
  }
  FH_ASSIGN_OR_RETURN(auto db, sqlite::Db::Open(dir / kHubDbFile, {.create = true}));
  return sqlite::Migrate(*db, sqlite::HubMigrations());
}

Result<std::unique_ptr<Hub>> Hub::Open(const fs::path& dir) {
  fs::path config_path = dir / kHubConfigFile;
  std::error_code ec;
  if (!fs::exists(config_path, ec) || !fs::exists(dir / kHubDbFile, ec)) {
    return FailedPrecondition("{} is not a hub (no {} and {}): run `factoryhub init {}`",
                              dir.string(), kHubConfigFile, kHubDbFile, dir.string());
  }
  std::ifstream in(config_path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return IOError("cannot read {}", config_path.string());

  std::unique_ptr<Hub> hub(new Hub());
  hub->dir_ = dir;
  FH_ASSIGN_OR_RETURN(hub->config_, HubConfig::Parse(text.str(), config_path.string()));
  sqlite::OpenOptions options;
  options.synchronous = hub->config_.storage.synchronous == "normal" ? "NORMAL" : "FULL";
  FH_ASSIGN_OR_RETURN(hub->catalog_db_, sqlite::Db::Open(dir / kHubDbFile, options));
  // A hub made by an older factoryhub is brought up to date when opened.
  FH_RETURN_IF_ERROR(sqlite::Migrate(*hub->catalog_db_, sqlite::HubMigrations()));
  FH_ASSIGN_OR_RETURN(hub->storage_, OpenStorage(dir, hub->config_.storage));
  return hub;
}

}  // namespace fh
