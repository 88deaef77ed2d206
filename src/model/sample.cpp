#include "model/sample.h"

namespace fh {

uint32_t SampleBatch::InternTag(std::string_view name) {
  auto it = tag_index_.find(name);
  if (it != tag_index_.end()) return it->second;
  uint32_t index = static_cast<uint32_t>(tag_names_.size());
  tag_names_.emplace_back(name);
  tag_index_.emplace(tag_names_.back(), index);
  return index;
}

void SampleBatch::Reserve(size_t n) {
  tag_.reserve(n);
  ts_.reserve(n);
  value_.reserve(n);
  quality_.reserve(n);
}

void SampleBatch::Clear() {
  tag_names_.clear();
  tag_index_.clear();
  tag_.clear();
  ts_.clear();
  value_.clear();
  quality_.clear();
}

}  // namespace fh
