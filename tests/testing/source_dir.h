// Where the tests find the repository (examples, governance cases) and the shared data sets
// beside it: $FH_SOURCE_DIR if set, else the source tree CMake configured the build from
// (ctest's test discovery runs the binaries without the test environment).
#pragma once

#include <filesystem>

namespace fh::testing {

std::filesystem::path SourceDir();
// SourceDir()/../shared: the data sets CI lays beside the clone.
std::filesystem::path SharedDir();

}  // namespace fh::testing
