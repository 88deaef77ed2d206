// factoryhub backup --hub DIR DEST, factoryhub restore BACKUP DEST (docs/operations.md):
// a consistent copy of a hub taken while it serves, and a new hub made from one.
#include <filesystem>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "store/hub_backup.h"

namespace fh::cli {
namespace {

struct BackupOptions {
  std::string hub, dest, backup;
  bool json = false;
};

Status Print(const BackupReport& r, const std::string& verb, const std::string& where, bool json) {
  if (json) {
    PrintJson({{"path", where},
               {"files", r.files},
               {"bytes", r.bytes},
               {"storage", r.storage},
               {"storage_note", r.storage_note}});
    return Status::Ok();
  }
  fmt::print("{} {} files ({}) {} {}\n", verb, r.files.size(), FormatBytes(r.bytes),
             verb == "Backed up" ? "to" : "into", where);
  if (!r.storage_note.empty()) fmt::print("Note: {}.\n", r.storage_note);
  return Status::Ok();
}

}  // namespace

Command RegisterBackup(CLI::App& parent) {
  auto opts = std::make_shared<BackupOptions>();
  CLI::App* sub = parent.add_subcommand(
      "backup", "Copy a hub, consistently, while it serves (restore makes a hub of the copy)");
  AddHubOption(sub, &opts->hub);
  sub->add_option("DEST", opts->dest, "A new folder for the backup")->required();
  AddJsonOption(sub, &opts->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub backup --hub plant /backups/plant-2026-12-05\n"
      "  factoryhub restore /backups/plant-2026-12-05 plant-restored\n"
      "The databases are copied as one consistent snapshot each while writers go on; every "
      "file is listed with its SHA-256 in backup.json (docs/operations.md).");
  return {sub, [opts]() -> Status {
            FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts->hub));
            FH_ASSIGN_OR_RETURN(BackupReport r, BackupHub(*hub, opts->dest, NowNs()));
            return Print(r, "Backed up", opts->dest, opts->json);
          }};
}

Command RegisterRestore(CLI::App& parent) {
  auto opts = std::make_shared<BackupOptions>();
  CLI::App* sub =
      parent.add_subcommand("restore", "Make a new hub from a backup (every file checked first)");
  sub->add_option("BACKUP", opts->backup, "The backup's folder")->required();
  sub->add_option("DEST", opts->dest, "The new hub's folder (must not exist)")->required();
  AddJsonOption(sub, &opts->json);
  return {sub, [opts]() -> Status {
            FH_ASSIGN_OR_RETURN(BackupReport r, RestoreHub(opts->backup, opts->dest));
            FH_RETURN_IF_ERROR(Print(r, "Restored", opts->dest, opts->json));
            if (!opts->json) fmt::print("Next: factoryhub serve --hub {}\n", opts->dest);
            return Status::Ok();
          }};
}

}  // namespace fh::cli
