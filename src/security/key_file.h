// A hub's secret key as a file of its own: 32 random bytes, created 0600 in a 0700 folder on
// first use (O_EXCL: two processes creating it at once keep one key), never in the database.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/status.h"

namespace fh::security {

using KeySeed = std::array<uint8_t, 32>;

// The seed in `path`, created when there is none; `what` names the key in errors ("a
// signing key"). The caller wipes the seed (sodium_memzero) once it has derived its key.
Result<KeySeed> LoadOrCreateKeySeed(const std::filesystem::path& path, std::string_view what);

}  // namespace fh::security
