// The SHA-256 of a file, read in pieces: what a backup's manifest records of each file and
// a restore checks before it trusts one.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "security/merkle.h"

namespace fh::security {

Result<Hash> Sha256File(const std::filesystem::path& path);

}  // namespace fh::security
