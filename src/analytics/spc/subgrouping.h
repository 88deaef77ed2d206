// How values become SPC subgroups. A chart needs one subgroup size, so where the way of
// grouping gives groups of several sizes, the most common size is charted and the others
// are counted as left out.
//
//   count     n consecutive values (a last, shorter group is left out)
//   time      the values of each bucket [k·every, (k+1)·every), aligned to the Unix epoch:
//             with n >= 2 the first n of each bucket ("five parts every hour"), else all of
//             them
//   order     the values of each work order (first n with n >= 2, else all), in the order
//             the orders began; values without an order are left out
//   recorded  inspections only: the rows of one inspected_at on one machine, as recorded
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::analytics::spc {

enum class GroupBy { kDefault, kCount, kTime, kOrder, kRecorded };

std::string_view GroupByName(GroupBy by);  // "count", "time", "order", "recorded"
Result<GroupBy> ParseGroupBy(std::string_view text);

struct Subgrouped {
  std::vector<std::vector<double>> groups;
  std::vector<TimestampNs> ts;  // each group's first value
  size_t left_out = 0;          // groups (or, for order, values without one) not charted
};

// `ts` ascending. `keys` (kOrder): each value's work order, nullopt for none.
Subgrouped GroupValues(std::span<const TimestampNs> ts, std::span<const double> values, GroupBy by,
                       int n, int64_t every_ns, std::span<const std::optional<int64_t>> keys = {});

// Keeps the groups of the most common size (the smallest of equally common ones); the
// others are counted as left out.
void KeepMostCommonSize(Subgrouped& s);

}  // namespace fh::analytics::spc
