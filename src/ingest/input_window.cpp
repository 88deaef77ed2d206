#include "ingest/input_window.h"

#include <algorithm>
#include <cstring>

namespace fh::ingest {

InputWindow::InputWindow(std::unique_ptr<ByteSource> source, size_t block_bytes)
    : source_(std::move(source)), block_bytes_(std::max<size_t>(block_bytes, 1)) {}

Result<bool> InputWindow::Fill() {
  if (eof_) return false;
  const size_t kept = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, kept);
    begin_ = 0;
    end_ = kept;
  }
  if (capacity_ - end_ < block_bytes_) {
    // Doubling keeps a long record's repeated refills linear in its length.
    const size_t capacity = std::max(kept + block_bytes_, capacity_ * 2);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (kept > 0) std::memcpy(grown.get(), buf_.get(), kept);
    buf_ = std::move(grown);
    capacity_ = capacity;
  }
  FH_ASSIGN_OR_RETURN(const size_t got, source_->Read(buf_.get() + end_, capacity_ - end_));
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

}  // namespace fh::ingest
