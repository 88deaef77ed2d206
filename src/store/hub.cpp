#include "store/hub.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "store/keys/field_protection.h"
#include "store/outbox/outbox_storage.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/storage_registry.h"
#include "store/sync/change_capture.h"

namespace fh {

namespace fs = std::filesystem;

Hub::~Hub() = default;

Status Hub::Init(const fs::path& dir, const HubConfig& config_in) {
  std::error_code ec;
  if (fs::exists(dir / kHubConfigFile, ec) || fs::exists(dir / kHubDbFile, ec)) {
    return AlreadyExists("{} already holds a hub", dir.string());
  }
  HubConfig config = config_in;
  if (config.storage.clickhouse.site.empty()) config.storage.clickhouse.site = config.name;
  if (config.storage.backend != "sqlite") {
    // A server back end is reached (and its tables made) before anything is written here:
    // a wrong address or password leaves no half-made hub behind.
    FH_RETURN_IF_ERROR(OpenStorage(dir, config.storage).status());
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
  FH_RETURN_IF_ERROR(sqlite::Migrate(*db, sqlite::HubMigrations()));
  // The hub holds password hashes, tokens' hashes and the plant's data: its folder is its
  // owner's alone (what is created inside later is out of others' reach through it), and
  // so are the files made now.
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return IOError("cannot restrict {} to its owner: {}", dir.string(), ec.message());
  for (const char* file : {kHubConfigFile, kHubDbFile}) {
    fs::permissions(dir / file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
    if (ec) return IOError("cannot restrict {}: {}", (dir / file).string(), ec.message());
  }
  return Status::Ok();
}

namespace {

// Whether opening for writing failed for a reason a read-only open may not have: an I/O
// error (a full disk, no room for the WAL index, a read-only file or file system). Not a
// busy hub (another writer) nor a corrupt one.
bool ReadOnlyWouldHelp(const Status& s) {
  return s.code() == StatusCode::kIOError;
}

}  // namespace

Result<std::unique_ptr<Hub>> Hub::Open(const fs::path& dir, bool read_only) {
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
  if (!hub->config_.encryption.fields.empty()) {
    hub->protection_ = std::make_unique<FieldProtection>(dir, hub->config_.encryption);
  }
  if (read_only) {
    hub->read_only_reason_ = "opened for reading only";
  } else {
    Status s = hub->OpenForWriting();
    if (s.ok() || !ReadOnlyWouldHelp(s)) {
      if (!s.ok()) return s;
      return hub;
    }
    hub->catalog_db_.reset();
    hub->events_db_.reset();
    hub->storage_.reset();
    hub->read_only_reason_ = "it cannot be written: " + s.message();
  }
  FH_ASSIGN_OR_RETURN(hub->catalog_db_, sqlite::Db::OpenReadOnly(dir / kHubDbFile));
  FH_ASSIGN_OR_RETURN(int version, sqlite::SchemaVersion(*hub->catalog_db_));
  const int newest = sqlite::HubMigrations().back().version;
  if (version != newest) {
    return FailedPrecondition(
        "{}: schema version {} is {} than this factoryhub's ({}), and the hub is {}: {}",
        dir.string(), version, version < newest ? "older" : "newer", newest, hub->read_only_reason_,
        version < newest ? "open it once where it can be written to upgrade it"
                         : "upgrade factoryhub");
  }
  FH_ASSIGN_OR_RETURN(hub->storage_,
                      OpenStorage(dir, hub->config_.storage, hub->read_only_reason_));
  if (fs::exists(dir / kEventsDbFile, ec)) {
    FH_ASSIGN_OR_RETURN(hub->events_db_, sqlite::Db::OpenReadOnly(dir / kEventsDbFile));
  }
  return hub;
}

Status Hub::OpenForWriting() {
  sqlite::OpenOptions options;
  options.synchronous = config_.storage.synchronous == "normal" ? "NORMAL" : "FULL";
  FH_ASSIGN_OR_RETURN(catalog_db_, sqlite::Db::Open(dir_ / kHubDbFile, options));
  // A hub made by an older factoryhub is brought up to date when opened.
  FH_RETURN_IF_ERROR(sqlite::Migrate(*catalog_db_, sqlite::HubMigrations()));
  FH_ASSIGN_OR_RETURN(storage_, OpenStorage(dir_, config_.storage));
  // The relational records are forwarded as they change (store/sync/change_capture.h).
  FH_RETURN_IF_ERROR(SetChangeCapture(*catalog_db_, !config_.sync.central.empty()));
  if (!config_.sync.central.empty()) {
    // Every write is queued for the central hub once stored (store/outbox/outbox_storage.h).
    outbox::Limits limits;
    limits.max_bytes = config_.sync.backlog_mb << 20;
    limits.max_age_ns = int64_t{config_.sync.backlog_days} * 24 * 3600 * 1'000'000'000;
    // Segments are what the limits drop: an eighth of the backlog, 64 KiB..64 MiB each.
    limits.segment_bytes = std::clamp<int64_t>(limits.max_bytes / 8, 64 << 10, 64 << 20);
    FH_ASSIGN_OR_RETURN(auto box, outbox::Outbox::Open(dir_ / "sync" / "outbox", limits));
    outbox_ = box.get();
    storage_ = std::make_unique<outbox::OutboxStorage>(std::move(storage_), std::move(box),
                                                       dir_ / "sync" / "spool");
  }
  // Live events in their own file (created here for a hub that has none yet).
  FH_ASSIGN_OR_RETURN(
      events_db_,
      sqlite::Db::Open(dir_ / kEventsDbFile, {.create = true, .synchronous = options.synchronous}));
  FH_RETURN_IF_ERROR(sqlite::Migrate(*events_db_, sqlite::EventsMigrations()));
  return Status();
}

CatalogSession Hub::OpenCatalog() {
  return CatalogSession(catalog_mutex_, *catalog_db_, *storage_, protection_.get());
}

EventSession Hub::OpenEvents() {
  return EventSession(events_mutex_, events_db_.get());
}

}  // namespace fh
