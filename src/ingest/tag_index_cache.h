// TagIndexCache: finds a tag name's index in the SampleBatch being filled, faster than
// SampleBatch::InternTag for the hot path of file readers (one lookup per line).
//
// An open-addressing table of (hash, batch index) that is emptied in O(1) when the batch is
// cleared. Names are compared against the batch's own tag names, so nothing is copied.
// Not thread-safe; one per reader.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/sample.h"

namespace fh::ingest {

class TagIndexCache {
 public:
  TagIndexCache();

  // batch->InternTag(name), remembered until Reset().
  uint32_t Intern(std::string_view name, SampleBatch* batch);

  // Forgets everything: call whenever the batch is cleared or a different batch is used.
  void Reset();

 private:
  struct Slot {
    uint64_t hash;
    uint32_t index;  // in the batch's tag_names()
    uint32_t epoch;  // the slot is in use only when this equals epoch_
  };

  static uint64_t Hash(std::string_view name);
  void Grow();

  std::vector<Slot> slots_;  // size is a power of two, at most half full
  uint32_t epoch_ = 1;
  size_t used_ = 0;
};

}  // namespace fh::ingest
