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

// Replays `prefix`, then continues with `rest`: a caller that sniffed the start of a stream
// (format, encoding) hands the stream on whole.
std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> rest);

// Reads until `n` bytes or the end of the input, whichever comes first: a source may
// return fewer bytes than asked (a pipe), and sniffing needs a fixed amount.
Result<std::string> ReadUpTo(ByteSource& source, size_t n);

}  // namespace fh::ingest
