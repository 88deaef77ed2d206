// LiveLatest: the newest point of each tag as the server's stream ingest stores them, each
// change numbered, so that a live view (GET /api/v1/latest/stream) asks "what changed since
// change N?" instead of keeping a queue per client. It holds one point per tag written since
// the server started, whatever the number of clients or how slowly they read: a client that
// falls behind skips the values in between and gets the newest. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_map.h"
#include "model/sample.h"

namespace fh::api {

class LiveLatest {
 public:
  struct Change {
    std::string tag;
    Sample sample;
  };

  // Called with every batch stored (pipeline::StoredPointsHook): a tag's point is kept if it
  // is its newest (a late, older point changes nothing).
  void Observe(const SampleBatch& stored);

  // The number of the last change: what a view has seen once it read the store after this.
  uint64_t changes() const;

  // The tags `wants` that changed after change `after`, with their newest point, in no
  // particular order; `*now` becomes the number of the last change.
  std::vector<Change> ChangedSince(uint64_t after,
                                   const std::function<bool(std::string_view)>& wants,
                                   uint64_t* now) const;

 private:
  struct Entry {
    Sample sample;
    uint64_t change = 0;  // the number of its last change
  };
  mutable std::mutex mu_;
  StringMap<Entry> newest_;
  uint64_t changes_ = 0;
};

}  // namespace fh::api
