// TempDir: a fresh directory under $TMPDIR, removed with everything in it at destruction.
#pragma once

#include <filesystem>
#include <string>

namespace fh::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace fh::testing
