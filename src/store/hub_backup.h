// Online backup and restore of a hub (docs/operations.md): `factoryhub backup` while `serve`
// runs, `factoryhub restore` into a new folder.
//
// A backup is a folder: the hub's SQLite databases copied through SQLite's online backup (one
// consistent snapshot each, writers going on meanwhile: factoryhub.db holds the catalog and
// the embedded store's time series, so points and their lineage are of one moment), every
// settings file and key of the hub folder as it is, and backup.json: what was copied, each
// file's size and SHA-256, the hub's name, schema version and storage back end. Left out: the
// outbox of an edge hub (a restored hub starts a new one, and its central hub counts it anew),
// temporary and lock files. On the ClickHouse back end the time series are in ClickHouse,
// not in the folder: back them up with ClickHouse (the manifest says so).
//
// A restore checks every file against the manifest before anything is written, copies them
// into a folder that must not exist, and opens the hub there (older schemas are migrated).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/hub.h"

namespace fh {

inline constexpr const char* kBackupManifest = "backup.json";

struct BackupReport {
  std::vector<std::string> files;  // relative to the backup folder
  int64_t bytes = 0;
  std::string storage;       // the hub's back end
  std::string storage_note;  // what is not in the backup, when something is not
};

// `dest` must not exist (or be an empty folder).
Result<BackupReport> BackupHub(Hub& hub, const std::filesystem::path& dest, int64_t now_ns);
Result<BackupReport> RestoreHub(const std::filesystem::path& backup,
                                const std::filesystem::path& dest);

}  // namespace fh
