#include "ingest/record_batch.h"

namespace fh::ingest {

std::optional<size_t> RecordBatch::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace fh::ingest
