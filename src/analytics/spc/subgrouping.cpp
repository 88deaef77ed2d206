#include "analytics/spc/subgrouping.h"

#include <algorithm>
#include <map>

#include "analytics/spc/inspection_groups.h"

namespace fh::analytics::spc {
namespace {

// Floor division, so that buckets before 1970 are aligned as the later ones.
int64_t BucketOf(TimestampNs ts, int64_t every) {
  return ts / every - (ts % every < 0 ? 1 : 0);
}

// Keeps the groups `keep` says yes to, in order; counts the others as left out.
template <typename Keep>
void KeepGroups(Subgrouped& s, Keep keep) {
  size_t kept = 0;
  for (size_t i = 0; i < s.groups.size(); ++i) {
    if (!keep(s.groups[i])) {
      ++s.left_out;
      continue;
    }
    if (kept != i) {  // a vector moved onto itself is left empty
      s.groups[kept] = std::move(s.groups[i]);
      s.ts[kept] = s.ts[i];
    }
    ++kept;
  }
  s.groups.resize(kept);
  s.ts.resize(kept);
}

}  // namespace

std::string_view GroupByName(GroupBy by) {
  switch (by) {
    case GroupBy::kCount:
      return "count";
    case GroupBy::kTime:
      return "time";
    case GroupBy::kOrder:
      return "order";
    case GroupBy::kRecorded:
      return "recorded";
    case GroupBy::kDefault:
      break;
  }
  return "default";
}

Result<GroupBy> ParseGroupBy(std::string_view text) {
  for (GroupBy by : {GroupBy::kCount, GroupBy::kTime, GroupBy::kOrder, GroupBy::kRecorded}) {
    if (text == GroupByName(by)) return by;
  }
  return InvalidArgument("'{}' is not count, time, order or recorded", text);
}

Subgrouped GroupValues(std::span<const TimestampNs> ts, std::span<const double> values, GroupBy by,
                       int n, int64_t every_ns, std::span<const std::optional<int64_t>> keys) {
  Subgrouped out;
  const size_t size = static_cast<size_t>(std::max(1, n));
  if (by == GroupBy::kTime || by == GroupBy::kOrder) {
    const bool first_n = n >= 2;
    // Groups keyed by bucket or order, in the order they began.
    std::map<int64_t, size_t> index;
    for (size_t i = 0; i < values.size(); ++i) {
      int64_t key;
      if (by == GroupBy::kTime) {
        key = BucketOf(ts[i], every_ns);
      } else {
        if (i >= keys.size() || !keys[i]) {
          ++out.left_out;
          continue;
        }
        key = *keys[i];
      }
      auto [it, added] = index.try_emplace(key, out.groups.size());
      if (added) {
        out.groups.emplace_back();
        out.ts.push_back(ts[i]);
      }
      std::vector<double>& g = out.groups[it->second];
      if (!first_n || g.size() < size) g.push_back(values[i]);
    }
    if (first_n) {
      // Groups with fewer than n values are left out.
      KeepGroups(out, [size](const std::vector<double>& g) { return g.size() >= size; });
    } else {
      KeepMostCommonSize(out);
    }
    return out;
  }
  for (size_t i = 0; i + size <= values.size(); i += size) {
    out.groups.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i),
                            values.begin() + static_cast<std::ptrdiff_t>(i + size));
    out.ts.push_back(ts[i]);
  }
  return out;
}

void KeepMostCommonSize(Subgrouped& s) {
  if (s.groups.empty()) return;
  std::vector<size_t> sizes;
  for (const auto& g : s.groups)
    sizes.push_back(g.size());
  const size_t n = MostCommonSize(sizes);
  KeepGroups(s, [n](const std::vector<double>& g) { return g.size() == n; });
}

}  // namespace fh::analytics::spc
