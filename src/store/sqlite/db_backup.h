// A consistent copy of a live SQLite database (its online backup API): one read
// transaction for the whole copy, so writers in WAL mode go on while it is taken, and the
// copy is the database as of its start.
#pragma once

#include <filesystem>

#include "common/status.h"

namespace fh::sqlite {

// `dest` must not exist; it is written whole, then synced.
Status BackupDatabase(const std::filesystem::path& source, const std::filesystem::path& dest);

}  // namespace fh::sqlite
