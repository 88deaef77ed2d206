// Samples: the unit of time-series data, and the columnar batch they travel in.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace fh {

// Nanoseconds since the Unix epoch, UTC.
using TimestampNs = int64_t;

// Quality codes follow the OPC DA convention that plant engineers already know.
// Any value 0..255 is stored as given; these are the named ones.
inline constexpr uint32_t kQualityBad = 0;
inline constexpr uint32_t kQualityUncertain = 64;
inline constexpr uint32_t kQualityGood = 192;

// The timestamps every back end stores: all of int64 but INT64_MAX, reserved so that every
// stored point t has the half-open range [t, t + 1) (Latest, exclusive `to`). Edges that
// take timestamps from outside (line protocol, JSON samples) check IsStorableTimestamp and
// refuse that record alone; the store refuses a batch holding one with InvalidArgument.
inline constexpr TimestampNs kMinStorableTimestamp = std::numeric_limits<TimestampNs>::min();
inline constexpr TimestampNs kMaxStorableTimestamp = std::numeric_limits<TimestampNs>::max() - 1;
constexpr bool IsStorableTimestamp(TimestampNs ts) {
  return ts >= kMinStorableTimestamp && ts <= kMaxStorableTimestamp;
}

// Tag names are 1..kMaxTagNameBytes bytes of UTF-8, case-sensitive (every back end).
inline constexpr size_t kMaxTagNameBytes = 255;
constexpr bool IsValidTagName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxTagNameBytes;
}

// Quality codes are 0..kMaxQuality.
inline constexpr uint32_t kMaxQuality = 255;
constexpr bool IsValidQuality(uint64_t quality) {
  return quality <= kMaxQuality;
}

// What every reader and connector checks of a point from outside before it reaches the
// store (which refuses a batch holding a bad one whole): these three predicates, so that
// a point is valid or not the same way whichever way it came.

struct Sample {
  TimestampNs ts = 0;
  double value = 0;
  uint32_t quality = kQualityGood;
  bool operator==(const Sample&) const = default;
};

// A half-open time range [from, to).
struct TimeRange {
  TimestampNs from = std::numeric_limits<TimestampNs>::min();
  TimestampNs to = std::numeric_limits<TimestampNs>::max();
  bool Contains(TimestampNs t) const { return t >= from && t < to; }
};

// SampleBatch holds points for many tags as parallel columns, with tag names interned
// once per batch, so that a million points cost four vectors and no per-point allocation.
// Points keep their arrival order: for equal (tag, ts) the later point wins.
class SampleBatch {
 public:
  SampleBatch() = default;
  // Copies the points and names, not the spare buffers a reused batch keeps.
  SampleBatch(const SampleBatch& other);
  SampleBatch& operator=(const SampleBatch& other);
  SampleBatch(SampleBatch&&) noexcept = default;
  SampleBatch& operator=(SampleBatch&&) noexcept = default;

  // Returns the batch-local index of a tag name, adding it on first use. The hot path of
  // every reader and parser (one call per point): an open-addressing table of hashes over
  // the batch's own names, no allocation once the batch has been used.
  uint32_t InternTag(std::string_view name);
  void Add(uint32_t tag_index, TimestampNs ts, double value, uint32_t quality = kQualityGood) {
    tag_.push_back(tag_index);
    ts_.push_back(ts);
    value_.push_back(value);
    quality_.push_back(quality);
  }
  void Add(std::string_view tag, TimestampNs ts, double value, uint32_t quality = kQualityGood) {
    Add(InternTag(tag), ts, value, quality);
  }
  void Reserve(size_t n);
  // Empties the batch, keeping the capacity of its columns and of its names' strings, so
  // that a batch reused request after request stops allocating.
  void Clear();

  size_t size() const { return ts_.size(); }
  bool empty() const { return ts_.empty(); }
  const std::vector<std::string>& tag_names() const { return tag_names_; }
  const std::vector<uint32_t>& tag() const { return tag_; }
  const std::vector<TimestampNs>& ts() const { return ts_; }
  const std::vector<double>& value() const { return value_; }
  const std::vector<uint32_t>& quality() const { return quality_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = 0;  // in tag_names_
    uint32_t epoch = 0;  // in use only when equal to epoch_: Clear() empties the table in O(1)
  };
  void GrowIndex();

  std::vector<std::string> tag_names_;
  std::vector<std::string> spare_names_;  // cleared names whose buffers the next ones reuse
  std::vector<Slot> slots_;               // a power of two in size, at most half full
  uint32_t epoch_ = 1;
  std::vector<uint32_t> tag_;
  std::vector<TimestampNs> ts_;
  std::vector<double> value_;
  std::vector<uint32_t> quality_;
};

}  // namespace fh
