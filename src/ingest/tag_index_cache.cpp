#include "ingest/tag_index_cache.h"

#include <bit>
#include <cstring>

namespace fh::ingest {
namespace {

constexpr size_t kInitialSlots = 4096;
constexpr uint64_t kMul = 0x9E3779B97F4A7C15;

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint64_t Mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * kMul;
  return h ^ (h >> 29);
}

// a == b, inline for the short names that tags are (memcmp is a call).
inline bool Equal(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8) return std::memcmp(a.data(), b.data(), n) == 0;
  uint64_t diff = 0;
  for (size_t i = 0; i + 8 < n; i += 8)
    diff |= Load8(a.data() + i) ^ Load8(b.data() + i);
  return (diff | (Load8(a.data() + n - 8) ^ Load8(b.data() + n - 8))) == 0;
}

}  // namespace

TagIndexCache::TagIndexCache() : slots_(kInitialSlots, Slot{0, 0, 0}) {}

// Eight bytes at a time; tag names are short and come from the user's own data, so speed
// matters more than resistance to crafted collisions (which only make lookups slower).
uint64_t TagIndexCache::Hash(std::string_view name) {
  const char* p = name.data();
  size_t n = name.size();
  uint64_t h = 0x243F6A8885A308D3 ^ n;
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8)
      h = Mix(h, Load8(p));
    h = Mix(h, Load8(p + n - 8));  // the last 8 bytes, overlapping the previous ones
  } else {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
      v = v << 8 | static_cast<unsigned char>(p[i]);
    h = Mix(h, v);
  }
  h ^= h >> 33;  // MurmurHash3's finaliser: every input bit reaches the low (slot) bits
  h *= 0xFF51AFD7ED558CCD;
  return h ^ (h >> 33);
}

uint32_t TagIndexCache::Intern(std::string_view name, SampleBatch* batch) {
  const uint64_t hash = Hash(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.epoch != epoch_) {
      const uint32_t index = batch->InternTag(name);
      slot = Slot{hash, index, epoch_};
      if (++used_ * 2 > slots_.size()) Grow();
      return index;
    }
    if (slot.hash == hash && Equal(batch->tag_names()[slot.index], name)) return slot.index;
  }
}

void TagIndexCache::Reset() {
  used_ = 0;
  if (++epoch_ == 0) {  // after 2^32 resets: stale slots could look current again
    for (Slot& slot : slots_)
      slot.epoch = 0;
    epoch_ = 1;
  }
}

void TagIndexCache::Grow() {
  std::vector<Slot> old(slots_.size() * 2, Slot{0, 0, 0});
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.epoch != epoch_) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].epoch == epoch_)
      i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace fh::ingest
