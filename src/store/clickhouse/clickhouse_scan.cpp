// Storage::Scan on ClickHouse: a tag's points in time order, in windows of time sized to
// hold about a page of rows each. ClickHouse 18.16 sorts a whole answer before it sends the
// first row (it cannot read in key order yet), so one query over a tag of 100 million points
// would sort them all in memory; a window is read, sorted and streamed on its own.
#include <fmt/format.h>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {
namespace scan_detail {

constexpr size_t kRunPoints = 8192;  // points handed to the callback at once

// Hands out points one at a time, keeping the last of equal times (the newest version:
// rows come ordered by time, then version), in runs of kRunPoints.
class LastOfEqualTimes {
 public:
  explicit LastOfEqualTimes(const ScanFn& fn) : fn_(fn) {
    ts_.reserve(kRunPoints);
    value_.reserve(kRunPoints);
    quality_.reserve(kRunPoints);
  }
  bool Add(TimestampNs ts, double value, uint32_t quality) {
    if (pending_ && ts != pending_ts_) {
      if (!Push()) return false;
    }
    pending_ = true;
    pending_ts_ = ts;
    pending_value_ = value;
    pending_quality_ = quality;
    return true;
  }
  bool Finish() {
    if (pending_ && !Push()) return false;
    pending_ = false;
    return Flush();
  }
  bool stopped() const { return stopped_; }

 private:
  bool Push() {
    ts_.push_back(pending_ts_);
    value_.push_back(pending_value_);
    quality_.push_back(pending_quality_);
    return ts_.size() < kRunPoints || Flush();
  }
  bool Flush() {
    if (ts_.empty()) return true;
    stopped_ = !fn_(ts_, value_, quality_);
    ts_.clear();
    value_.clear();
    quality_.clear();
    return !stopped_;
  }

  const ScanFn& fn_;
  std::vector<TimestampNs> ts_;
  std::vector<double> value_;
  std::vector<uint32_t> quality_;
  bool pending_ = false;
  bool stopped_ = false;
  TimestampNs pending_ts_ = 0;
  double pending_value_ = 0;
  uint32_t pending_quality_ = 0;
};

TimestampNs SaturatingAdd(TimestampNs a, int64_t b) {
  TimestampNs out;
  return __builtin_add_overflow(a, b, &out) ? std::numeric_limits<TimestampNs>::max() : out;
}

}  // namespace scan_detail

Status ClickHouseStorage::Scan(const std::string& tag, TimeRange range, const ScanFn& fn) {
  FH_RETURN_IF_ERROR(CheckKnown({tag}));
  const std::string tag_sql = Quote(tag);
  ClientPool::Lease client = pool_.Acquire();
  FH_ASSIGN_OR_RETURN(
      std::string answer,
      client->Query(fmt::format("SELECT sumMerge(points), minMerge(first), maxMerge(last) FROM {} "
                                "WHERE site = {} AND tag = {} FORMAT RowBinary",
                                tables_.tag_stats, site_sql_, tag_sql)));
  RowBinaryCursor cursor(answer);
  int64_t points = 0;
  TimestampNs first = 0, last = 0;
  if (!cursor.Fixed(&points) || !cursor.Fixed(&first) || !cursor.Fixed(&last)) {
    return Internal("ClickHouse has no statistics of tag '{}'", tag);
  }
  const TimestampNs from = std::max(range.from, first);
  const TimestampNs to = std::min(range.to, scan_detail::SaturatingAdd(last, 1));
  if (from >= to || points <= 0) return Status();

  // Windows sized from the tag's average density, then adapted to what they really hold.
  const double span = static_cast<double>(last) - static_cast<double>(first) + 1;
  int64_t window = static_cast<int64_t>(std::clamp(
      span * static_cast<double>(scan_page_rows_) / static_cast<double>(points), 1.0, 9.0e18));
  scan_detail::LastOfEqualTimes out(fn);
  constexpr size_t kRowBytes = 8 + 8 + 4 + 8;
  for (TimestampNs start = from; start < to;) {
    const TimestampNs end = std::min(to, scan_detail::SaturatingAdd(start, window));
    RowBinaryReader reader(kRowBytes);
    int64_t rows = 0;
    FH_RETURN_IF_ERROR(client->QueryStream(
        fmt::format("SELECT ts, value, quality, seq FROM {} WHERE site = {} AND tag = {} AND ts "
                    ">= {} AND ts < {} ORDER BY ts, seq FORMAT RowBinary",
                    tables_.samples, site_sql_, tag_sql, start, end),
        [&](std::string_view bytes) {
          return reader.Feed(bytes, [&](const char* row) {
            ++rows;
            return out.Add(RowBinaryReader::Get<int64_t>(row),
                           RowBinaryReader::Get<double>(row + 8),
                           RowBinaryReader::Get<uint32_t>(row + 16));
          });
        }));
    if (out.stopped()) return Status();
    if (reader.pending() != 0) return Internal("ClickHouse's scan of '{}' ended mid-row", tag);
    if (rows > 2 * scan_page_rows_) window = std::max<int64_t>(1, window / 2);
    if (rows < scan_page_rows_ / 4 && window < int64_t{1} << 61) window *= 2;
    start = end;
  }
  out.Finish();
  return Status();
}

}  // namespace fh::clickhouse
