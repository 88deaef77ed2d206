#include "store/clickhouse/sample_rows.h"

#include <algorithm>
#include <numeric>

#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {

Result<SampleRows> EncodeSampleRows(const SampleBatch& batch, std::string_view site,
                                    uint64_t version) {
  const std::vector<std::string>& names = batch.tag_names();
  for (const std::string& name : names) {
    if (!IsValidTagName(name)) {
      return InvalidArgument("tag name must be 1..{} bytes, got {}: '{}'", kMaxTagNameBytes,
                             name.size(), name.substr(0, 64));
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!IsStorableTimestamp(batch.ts()[i])) {
      return InvalidArgument("timestamp {} of tag '{}' is out of range: the store keeps {}..{}",
                             batch.ts()[i], names[batch.tag()[i]], kMinStorableTimestamp,
                             kMaxStorableTimestamp);
    }
  }
  // Tags in name order, then points by (tag, time, arrival): the last of equal keys wins.
  std::vector<uint32_t> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), 0);
  std::sort(by_name.begin(), by_name.end(),
            [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  std::vector<uint32_t> rank(names.size());
  for (uint32_t r = 0; r < by_name.size(); ++r)
    rank[by_name[r]] = r;
  std::vector<uint32_t> order(batch.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& tag = batch.tag();
  const auto& ts = batch.ts();
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (rank[tag[a]] != rank[tag[b]]) return rank[tag[a]] < rank[tag[b]];
    return ts[a] < ts[b];
  });

  SampleRows out;
  out.row_binary.reserve(batch.size() * (site.size() + 40));
  RowBinaryWriter w(&out.row_binary);
  bool one_month = true;
  for (size_t k = 0; k < order.size(); ++k) {
    const uint32_t i = order[k];
    const bool superseded =
        k + 1 < order.size() && tag[order[k + 1]] == tag[i] && ts[order[k + 1]] == ts[i];
    if (superseded) continue;
    const std::string& name = names[tag[i]];
    if (out.tags.empty() || out.tags.back().tag != name) {
      out.tags.push_back({name, ts[i], ts[i]});
    }
    out.tags.back().last = ts[i];
    if (one_month) {
      std::optional<int> month = PartitionMonth(ts[i]);
      if (!month || (out.single_month && *out.single_month != *month)) {
        one_month = false;
        out.single_month.reset();
      } else {
        out.single_month = month;
      }
    }
    w.String(site);
    w.String(name);
    w.Int64(ts[i]);
    w.Float64(batch.value()[i]);
    w.UInt32(batch.quality()[i]);
    w.UInt64(version);
    ++out.rows;
  }
  return out;
}

}  // namespace fh::clickhouse
