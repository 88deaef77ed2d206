#include "testing/source_dir.h"

#include <cstdlib>

namespace fh::testing {

std::filesystem::path SourceDir() {
  if (const char* dir = std::getenv("FH_SOURCE_DIR"); dir && *dir) return dir;
  return FH_TEST_SOURCE_DIR;
}

std::filesystem::path DataDir() {
  return SourceDir() / "data";
}

}  // namespace fh::testing
