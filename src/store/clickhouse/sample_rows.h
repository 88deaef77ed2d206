// A batch of points made ready for ClickHouse: checked as every back end checks it, the
// later of two points at one (tag, time) kept, sorted by tag and time (the table's order,
// so ClickHouse writes parts without re-sorting much), and encoded as RowBinary rows of
// samples' columns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::clickhouse {

// One tag's points in a batch: the span of their times.
struct TagSpan {
  std::string tag;
  TimestampNs first = 0;
  TimestampNs last = 0;
};

struct SampleRows {
  std::string row_binary;
  size_t rows = 0;
  std::vector<TagSpan> tags;
  // The month partition every row falls in, when they all fall in one ClickHouse's month
  // this side can name (clickhouse_sql.h PartitionMonth): such an insert is atomic.
  std::optional<int> single_month;
};

// InvalidArgument naming the tag for an empty or too long name or an unstorable time;
// nothing is encoded then.
Result<SampleRows> EncodeSampleRows(const SampleBatch& batch, std::string_view site,
                                    uint64_t version);

}  // namespace fh::clickhouse
