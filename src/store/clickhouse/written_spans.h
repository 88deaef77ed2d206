// The times of one tag a process knows to be stored (or being stored): a few disjoint
// spans. A write whose span meets one of them may store a point twice, and flags its tag
// (clickhouse_storage.h); one that falls between them does not — so concurrent clients
// whose batches arrive out of order flag nothing. Past kMaxSpans the two closest spans are
// joined: the gap between them then counts as stored, which can only flag more, never less.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "model/sample.h"

namespace fh::clickhouse {

class WrittenSpans {
 public:
  static constexpr size_t kMaxSpans = 8;

  bool Meets(TimestampNs first, TimestampNs last) const {
    for (const auto& [a, b] : spans_) {
      if (first <= b && last >= a) return true;
    }
    return false;
  }
  void Add(TimestampNs first, TimestampNs last) {
    auto it = std::lower_bound(spans_.begin(), spans_.end(), std::make_pair(first, last));
    it = spans_.insert(it, {first, last});
    // Join the neighbours it meets (spans stay sorted and disjoint).
    size_t i = static_cast<size_t>(it - spans_.begin());
    while (i > 0 && spans_[i - 1].second >= spans_[i].first)
      --i;
    while (i + 1 < spans_.size() && spans_[i].second >= spans_[i + 1].first) {
      spans_[i].second = std::max(spans_[i].second, spans_[i + 1].second);
      spans_.erase(spans_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
    if (spans_.size() <= kMaxSpans) return;
    size_t closest = 0;
    for (size_t k = 1; k + 1 < spans_.size(); ++k) {
      if (Gap(k) < Gap(closest)) closest = k;
    }
    spans_[closest].second = spans_[closest + 1].second;
    spans_.erase(spans_.begin() + static_cast<std::ptrdiff_t>(closest) + 1);
  }
  size_t size() const { return spans_.size(); }

 private:
  // The gap between span k and k+1, as an unsigned width (it may exceed int64's range).
  unsigned long long Gap(size_t k) const {
    return static_cast<unsigned long long>(spans_[k + 1].first) -
           static_cast<unsigned long long>(spans_[k].second);
  }

  std::vector<std::pair<TimestampNs, TimestampNs>> spans_;
};

}  // namespace fh::clickhouse
