#include "ingest/byte_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fh::ingest {
namespace {

class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  Result<size_t> Read(char* dst, size_t n) override {
    while (true) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return IOError("{}: read failed: {}", name_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

class BufferSource final : public ByteSource {
 public:
  explicit BufferSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t n) override {
    n = std::min(n, data_.size());
    data_.copy(dst, n);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<ByteSource>(std::make_unique<FdSource>(STDIN_FILENO, false, "<stdin>"));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound("{}: no such file", path);
    return IOError("{}: cannot open: {}", path, std::strerror(err));
  }
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // only a hint
  return std::unique_ptr<ByteSource>(std::make_unique<FdSource>(fd, true, path));
}

std::unique_ptr<ByteSource> MakeBufferSource(std::string_view data) {
  return std::make_unique<BufferSource>(data);
}

}  // namespace fh::ingest
