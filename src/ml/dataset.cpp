#include "ml/dataset.h"

namespace fh::ml {

Dataset Dataset::Subset(std::span<const size_t> which) const {
  Dataset out;
  out.features = features;
  out.classes = classes;
  out.x.reserve(which.size() * cols());
  out.y.reserve(which.size());
  for (size_t i : which) {
    const std::span<const float> r = row(i);
    out.x.insert(out.x.end(), r.begin(), r.end());
    out.y.push_back(y[i]);
    if (!group.empty()) out.group.push_back(group[i]);
    if (!time.empty()) out.time.push_back(time[i]);
  }
  return out;
}

}  // namespace fh::ml
