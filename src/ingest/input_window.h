// InputWindow: the unconsumed bytes of a ByteSource, for readers that cut records out of a
// stream (JSON array elements, NDJSON lines). Holds only what is not yet consumed plus one
// block, so memory is bounded by the longest record rather than the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/status.h"
#include "ingest/byte_source.h"

namespace fh::ingest {

class InputWindow {
 public:
  explicit InputWindow(std::unique_ptr<ByteSource> source, size_t block_bytes = 1 << 20);

  // Bytes read but not consumed. Valid until the next Fill(); positions within it stay
  // meaningful across Fill() (the window keeps its start, only its end grows).
  std::string_view data() const { return {buf_.get() + begin_, end_ - begin_}; }
  // Offset of data()[0] in the input.
  int64_t offset() const { return offset_; }
  void Consume(size_t n) {
    begin_ += n;
    offset_ += static_cast<int64_t>(n);
  }
  // Reads one more block after data(). False (and nothing read) at the end of the input.
  Result<bool> Fill();

 private:
  std::unique_ptr<ByteSource> source_;
  size_t block_bytes_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t begin_ = 0;  // [begin_, end_) is data()
  size_t end_ = 0;
  int64_t offset_ = 0;
  bool eof_ = false;
};

}  // namespace fh::ingest
