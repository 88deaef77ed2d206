#include "store/hub_backup.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "security/file_hash.h"
#include "store/catalog_session.h"
#include "store/event_session.h"
#include "store/sqlite/db_backup.h"

namespace fh {
namespace backup_detail {

namespace fs = std::filesystem;

constexpr int kFormat = 1;

bool IsDatabase(const std::string& name) {
  return name == kHubDbFile || name == kEventsDbFile;
}

// What a backup leaves out: SQLite's side files (the databases are copied whole), the
// outbox and the forwarder's state of an edge hub, lock and temporary files.
bool LeftOut(const fs::path& rel) {
  const std::string s = rel.generic_string();
  const std::string name = rel.filename().string();
  return s.starts_with("sync/") || name.ends_with("-wal") || name.ends_with("-shm") ||
         name.ends_with("-journal") || name.ends_with(".tmp") || name == "lock" ||
         name == kBackupManifest;
}

Status CheckEmptyDest(const fs::path& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec) && !fs::is_empty(dest, ec)) {
    return AlreadyExists("{} exists and is not empty: give a new folder", dest.string());
  }
  fs::create_directories(dest, ec);
  if (ec) return IOError("cannot create {}: {}", dest.string(), ec.message());
  fs::permissions(dest, fs::perms::owner_all, fs::perm_options::replace, ec);
  return Status();
}

Status CopyPrivate(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::copy_file(from, to, fs::copy_options::none, ec);
  if (ec) return IOError("cannot copy {} to {}: {}", from.string(), to.string(), ec.message());
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                  ec);
  return Status();
}

}  // namespace backup_detail

using namespace backup_detail;

Result<BackupReport> BackupHub(Hub& hub, const fs::path& dest, int64_t now_ns) {
  FH_RETURN_IF_ERROR(CheckEmptyDest(dest));
  BackupReport report;
  report.storage = hub.config().storage.backend;
  if (report.storage != "sqlite") {
    report.storage_note = fmt::format(
        "the time series are in {} (database {}, site {}), not in this backup: back them up "
        "there",
        report.storage, hub.config().storage.clickhouse.database,
        hub.config().storage.clickhouse.site);
  }
  int schema = 0;
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(schema, session.SchemaVersion());
  }
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  auto add = [&](const fs::path& rel) -> Status {
    const fs::path copy = dest / rel;
    FH_ASSIGN_OR_RETURN(security::Hash hash, security::Sha256File(copy));
    std::error_code ec;
    const auto size = static_cast<int64_t>(fs::file_size(copy, ec));
    report.files.push_back(rel.generic_string());
    report.bytes += size;
    files.push_back(
        {{"path", rel.generic_string()}, {"bytes", size}, {"sha256", security::HashHex(hash)}});
    return Status();
  };
  // The databases first, each one consistent snapshot.
  for (const char* db : {kHubDbFile, kEventsDbFile}) {
    std::error_code ec;
    if (!fs::exists(hub.dir() / db, ec)) continue;
    FH_RETURN_IF_ERROR(sqlite::BackupDatabase(hub.dir() / db, dest / db));
    fs::permissions(dest / db, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
    FH_RETURN_IF_ERROR(add(db));
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(hub.dir(), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const fs::path rel = fs::relative(it->path(), hub.dir());
    if (IsDatabase(rel.generic_string()) || LeftOut(rel)) continue;
    FH_RETURN_IF_ERROR(CopyPrivate(it->path(), dest / rel));
    FH_RETURN_IF_ERROR(add(rel));
  }
  if (ec) return IOError("cannot list {}: {}", hub.dir().string(), ec.message());
  nlohmann::ordered_json manifest = {{"format", kFormat},
                                     {"hub", hub.config().name},
                                     {"created", FormatRfc3339(now_ns)},
                                     {"schema_version", schema},
                                     {"storage", report.storage},
                                     {"storage_note", report.storage_note},
                                     {"files", files}};
  std::ofstream out(dest / kBackupManifest);
  out << manifest.dump(2) << "\n";
  out.close();
  if (!out) return IOError("cannot write {}", (dest / kBackupManifest).string());
  return report;
}

Result<BackupReport> RestoreHub(const fs::path& backup, const fs::path& dest) {
  const fs::path manifest_path = backup / kBackupManifest;
  std::ifstream in(manifest_path);
  if (!in) return NotFound("{} is not a backup: no {}", backup.string(), kBackupManifest);
  nlohmann::json manifest = nlohmann::json::parse(in, nullptr, false);
  if (!manifest.is_object() || manifest.value("format", 0) != kFormat ||
      !manifest["files"].is_array()) {
    return InvalidArgument("{}: not a backup manifest of format {}", manifest_path.string(),
                           kFormat);
  }
  BackupReport report;
  report.storage = manifest.value("storage", std::string());
  report.storage_note = manifest.value("storage_note", std::string());
  // Every file checked before anything is written.
  for (const auto& f : manifest["files"]) {
    const std::string rel = f.value("path", std::string());
    const fs::path p = fs::path(rel).lexically_normal();
    if (rel.empty() || p.is_absolute() || p.generic_string().starts_with("..")) {
      return InvalidArgument("{}: a file outside the backup: '{}'", manifest_path.string(), rel);
    }
    Result<security::Hash> hash = security::Sha256File(backup / p);
    if (!hash.ok()) return hash.status().WithContext("the backup is incomplete");
    if (security::HashHex(*hash) != f.value("sha256", std::string())) {
      return Corruption(
          "{}: {} does not match its SHA-256 in the manifest: the backup is "
          "damaged",
          backup.string(), rel);
    }
    report.files.push_back(rel);
    report.bytes += f.value("bytes", int64_t{0});
  }
  std::error_code ec;
  if (fs::exists(dest, ec))
    return AlreadyExists("{} exists: restore into a new folder", dest.string());
  FH_RETURN_IF_ERROR(CheckEmptyDest(dest));
  for (const std::string& rel : report.files)
    FH_RETURN_IF_ERROR(CopyPrivate(backup / rel, dest / rel));
  // It opens (an older schema is migrated here), or the restore says why not.
  FH_RETURN_IF_ERROR(Hub::Open(dest).status().WithContext("the restored hub does not open"));
  return report;
}

}  // namespace fh
