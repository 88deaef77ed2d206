// The PKI folder's file operations (ua_crypto_detail.h): whole reads, atomic replacing writes
// with a given mode.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "connect/opcua/ua_crypto_detail.h"

namespace fh::opcua::crypto_detail {

Result<CryptoBytes> ReadWholeFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("{}: no such file", path.string());
    return IOError("{}: {}", path.string(), std::strerror(errno));
  }
  CryptoBytes out;
  uint8_t buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return IOError("{}: {}", path.string(), std::strerror(err));
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
    if (out.size() > (16u << 20)) {
      ::close(fd);
      return InvalidArgument("{}: larger than 16 MiB", path.string());
    }
  }
  ::close(fd);
  return out;
}

Status WriteFileReplacing(const std::filesystem::path& path, ByteView bytes, mode_t mode) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return IOError("{}: {}", tmp.string(), std::strerror(errno));
  size_t done = 0;
  bool ok = ::fchmod(fd, mode) == 0;  // the umask may have taken bits away, never added any
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : err;
    ::unlink(tmp.c_str());
    return IOError("writing {}: {}", path.string(), std::strerror(e));
  }
  return Status::Ok();
}

}  // namespace fh::opcua::crypto_detail
