// Where the tests find the repository (examples, governance cases, the data sets in
// data/): $FH_SOURCE_DIR if set, else the source tree CMake configured the build from
// (ctest's test discovery runs the binaries without the test environment).
#pragma once

#include <filesystem>

namespace fh::testing {

std::filesystem::path SourceDir();
// SourceDir()/data: the repository's copies of the public data sets (data/datasets/*,
// each with its SOURCE.md and licence), so that a clone alone runs every test.
std::filesystem::path DataDir();

}  // namespace fh::testing
