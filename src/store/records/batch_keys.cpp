#include "store/records/batch_keys.h"

namespace fh {

std::optional<BatchKeys::First> BatchKeys::Find(uint64_t key) const {
  if (slots_.empty()) return std::nullopt;
  key = Stored(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.key == 0) return std::nullopt;
    if (slot.key == key) {
      return First{slot.values, slot.line ? std::optional<int64_t>(slot.line) : std::nullopt};
    }
  }
}

void BatchKeys::Insert(uint64_t key, uint64_t values, std::optional<int64_t> line) {
  if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
  key = Stored(key);
  const size_t mask = slots_.size() - 1;
  size_t i = key & mask;
  while (slots_[i].key != 0)
    i = (i + 1) & mask;
  const bool line_fits = line && *line > 0 && *line <= int64_t{UINT32_MAX};
  slots_[i] = Slot{key, static_cast<uint32_t>(values),
                   line_fits ? static_cast<uint32_t>(*line) : uint32_t{0}};
  ++used_;
}

void BatchKeys::Replace(uint64_t key, uint64_t values, std::optional<int64_t> line) {
  if (slots_.empty()) return Insert(key, values, line);
  const uint64_t stored = Stored(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = stored & mask; slots_[i].key != 0; i = (i + 1) & mask) {
    if (slots_[i].key != stored) continue;
    const bool line_fits = line && *line > 0 && *line <= int64_t{UINT32_MAX};
    slots_[i].values = static_cast<uint32_t>(values);
    slots_[i].line = line_fits ? static_cast<uint32_t>(*line) : uint32_t{0};
    return;
  }
  Insert(key, values, line);
}

void BatchKeys::Grow() {
  std::vector<Slot> old(slots_.empty() ? 1024 : slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.key == 0) continue;
    size_t i = slot.key & mask;
    while (slots_[i].key != 0)
      i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace fh
