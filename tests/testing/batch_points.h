// A SampleBatch's points as (tag, time, value) rows, for tests to compare with ==.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/sample.h"

namespace fh::testing {

struct BatchPoint {
  std::string tag;
  TimestampNs ts = 0;
  double value = 0;
  bool operator==(const BatchPoint&) const = default;
};

inline std::vector<BatchPoint> BatchPoints(const SampleBatch& b) {
  std::vector<BatchPoint> out;
  for (size_t i = 0; i < b.size(); ++i)
    out.push_back({b.tag_names()[b.tag()[i]], b.ts()[i], b.value()[i]});
  return out;
}

inline std::ostream& operator<<(std::ostream& os, const BatchPoint& p) {
  return os << p.tag << "@" << p.ts << "=" << p.value;
}

}  // namespace fh::testing
