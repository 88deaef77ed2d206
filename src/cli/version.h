// The version `factoryhub version` and `--version` print.
#pragma once

namespace fh::cli {

// Kept in step with project(VERSION) in the top-level CMakeLists.txt.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace fh::cli
