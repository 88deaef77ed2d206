// UTF-8 validation for text read in blocks: a block may end inside a character, which is
// not an error until the input ends there.
#pragma once

#include <cstddef>

namespace fh::ingest {

struct Utf8Check {
  enum Stop {
    kEnd,         // all of it is valid
    kIncomplete,  // valid up to a character the block cuts short (fewer than 4 bytes)
    kInvalid,     // a byte that no valid UTF-8 text has there
  };
  size_t valid;  // length of the valid prefix: where the stop is
  Stop stop;
};

// Checks RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
Utf8Check CheckUtf8(const char* data, size_t size);

}  // namespace fh::ingest
