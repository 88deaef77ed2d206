// Text values: the string fields of InfluxDB line protocol ("status=\"running\""), kept as
// the text they are, per tag and time, beside the numeric samples. Last write wins for equal
// (tag, ts), as for numbers; they are never aggregated.
#pragma once

#include <cstddef>
#include <string>

#include "model/sample.h"

namespace fh {

// The longest text value stored, in bytes of UTF-8; a longer one is refused (quarantined).
inline constexpr size_t kMaxTextValueBytes = 64 * 1024;

struct TextSample {
  std::string tag;  // 1..kMaxTagNameBytes, named as numeric tags are
  TimestampNs ts = 0;
  std::string value;  // UTF-8, at most kMaxTextValueBytes
  bool operator==(const TextSample&) const = default;
};

}  // namespace fh
