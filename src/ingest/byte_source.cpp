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

class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> Read(char* dst, size_t n) override {
    if (used_ < prefix_.size()) {
      n = std::min(n, prefix_.size() - used_);
      std::memcpy(dst, prefix_.data() + used_, n);
      used_ += n;
      return n;
    }
    if (!prefix_.empty()) {  // a sniff can be 64 KiB: give it back
      std::string().swap(prefix_);
      used_ = 0;
    }
    return rest_->Read(dst, n);
  }

 private:
  std::string prefix_;
  size_t used_ = 0;
  std::unique_ptr<ByteSource> rest_;
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

std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> rest) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(rest));
}

Result<std::string> ReadUpTo(ByteSource& source, size_t n) {
  std::string out(n, '\0');
  size_t have = 0;
  while (have < n) {
    FH_ASSIGN_OR_RETURN(size_t got, source.Read(out.data() + have, n - have));
    if (got == 0) break;
    have += got;
  }
  out.resize(have);
  return out;
}

}  // namespace fh::ingest
