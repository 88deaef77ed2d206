#include "model/sample.h"

#include <cstring>

namespace fh {

namespace {

constexpr size_t kInitialSlots = 64;
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

// Eight bytes at a time; tag names are short and come from the plant's own data, so speed
// matters more than resistance to crafted collisions (which only make lookups slower).
uint64_t HashName(std::string_view name) {
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

// a == b, inline for the short names tags are (memcmp is a call).
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

SampleBatch::SampleBatch(const SampleBatch& other)
    : tag_names_(other.tag_names_),
      slots_(other.slots_),
      epoch_(other.epoch_),
      tag_(other.tag_),
      ts_(other.ts_),
      value_(other.value_),
      quality_(other.quality_) {}

SampleBatch& SampleBatch::operator=(const SampleBatch& other) {
  if (this != &other) *this = SampleBatch(other);
  return *this;
}

uint32_t SampleBatch::InternTag(std::string_view name) {
  if (slots_.empty()) slots_.resize(kInitialSlots);
  const uint64_t hash = HashName(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.epoch != epoch_) {
      const auto index = static_cast<uint32_t>(tag_names_.size());
      if (spare_names_.empty()) {
        tag_names_.emplace_back(name);
      } else {
        tag_names_.push_back(std::move(spare_names_.back()));
        spare_names_.pop_back();
        tag_names_.back().assign(name);
      }
      slot = Slot{hash, index, epoch_};
      if (tag_names_.size() * 2 > slots_.size()) GrowIndex();
      return index;
    }
    if (slot.hash == hash && Equal(tag_names_[slot.index], name)) return slot.index;
  }
}

void SampleBatch::GrowIndex() {
  std::vector<Slot> old(slots_.size() * 2);
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

void SampleBatch::Reserve(size_t n) {
  tag_.reserve(n);
  ts_.reserve(n);
  value_.reserve(n);
  quality_.reserve(n);
}

void SampleBatch::Clear() {
  // Moved, not destroyed: a moved std::string keeps its buffer for the next name.
  for (std::string& name : tag_names_)
    spare_names_.push_back(std::move(name));
  tag_names_.clear();
  if (++epoch_ == 0) {  // after 2^32 clears: stale slots could look current again
    for (Slot& slot : slots_)
      slot.epoch = 0;
    epoch_ = 1;
  }
  tag_.clear();
  ts_.clear();
  value_.clear();
  quality_.clear();
}

}  // namespace fh
