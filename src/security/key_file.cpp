#include "security/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "security/sodium_init.h"

namespace fh::security {

namespace fs = std::filesystem;

Result<KeySeed> LoadOrCreateKeySeed(const fs::path& path, std::string_view what) {
  EnsureSodium();
  KeySeed seed{};
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const ssize_t got = read(fd, seed.data(), seed.size());
    close(fd);
    if (got != static_cast<ssize_t>(seed.size())) {
      return Corruption("{}: not {} ({} bytes, expected {})", path.string(), what, got,
                        seed.size());
    }
    return seed;
  }
  if (errno != ENOENT) return IOError("cannot read {}: {}", path.string(), std::strerror(errno));
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return IOError("cannot create {}: {}", path.parent_path().string(), ec.message());
  fs::permissions(path.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  randombytes_buf(seed.data(), seed.size());
  const int out = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    sodium_memzero(seed.data(), seed.size());
    if (errno == EEXIST) return LoadOrCreateKeySeed(path, what);  // the other's key
    return IOError("cannot create {}: {}", path.string(), std::strerror(errno));
  }
  const bool written =
      write(out, seed.data(), seed.size()) == static_cast<ssize_t>(seed.size()) && fsync(out) == 0;
  close(out);
  if (!written) {
    sodium_memzero(seed.data(), seed.size());
    return IOError("cannot write {}", path.string());
  }
  return seed;
}

}  // namespace fh::security
