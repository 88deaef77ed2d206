// FNV-1a, 64 bits: a digest of short texts for in-memory sets of what a batch has seen
// (keys, records) and for naming cut-off text, not for security.
#pragma once

#include <cstdint>
#include <string_view>

namespace fh {

inline constexpr uint64_t kFnv1a64Offset = 1469598103934665603ULL;

// Continues digest `h` (start with kFnv1a64Offset) over `text`.
inline uint64_t Fnv1a64(std::string_view text, uint64_t h = kFnv1a64Offset) {
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace fh
