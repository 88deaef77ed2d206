// ByteSource: where a streaming reader's bytes come from (a file, standard input, memory).
// Readers pull blocks from it; it does no buffering of its own.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n (> 0) bytes into dst. Returns how many; 0 means the end of the input.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

// Opens a file for sequential reading, or standard input for "-" (not closed at the end).
// NotFound if the file does not exist; IOError for other failures.
Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);

// Reads a caller's buffer, which must outlive the source.
std::unique_ptr<ByteSource> MakeBufferSource(std::string_view data);

}  // namespace fh::ingest
