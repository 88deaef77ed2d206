#include "api/live_latest.h"

namespace fh::api {

void LiveLatest::Observe(const SampleBatch& stored) {
  const auto& names = stored.tag_names();
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < stored.size(); ++i) {
    const Sample s{stored.ts()[i], stored.value()[i], stored.quality()[i]};
    const std::string& tag = names[stored.tag()[i]];
    auto it = newest_.find(tag);
    if (it == newest_.end()) it = newest_.emplace(tag, Entry{}).first;
    // Equal timestamps: the later point wins, as in the store.
    else if (s.ts < it->second.sample.ts)
      continue;
    it->second = {s, ++changes_};
  }
}

uint64_t LiveLatest::changes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return changes_;
}

std::vector<LiveLatest::Change> LiveLatest::ChangedSince(
    uint64_t after, const std::function<bool(std::string_view)>& wants, uint64_t* now) const {
  std::vector<Change> out;
  std::lock_guard<std::mutex> lock(mu_);
  *now = changes_;
  if (after >= changes_) return out;
  // One pass over the tags (a few thousand at most in a plant) per client and second: less
  // than keeping a log of changes that a slow client would make grow.
  for (const auto& [tag, e] : newest_) {
    if (e.change > after && wants(tag)) out.push_back({tag, e.sample});
  }
  return out;
}

}  // namespace fh::api
