// A streaming write into ClickHouse: what is appended goes into a stage table of its own
// (nothing of it is visible), and Commit() moves the stage into samples with one INSERT
// ... SELECT. The commit is recorded first (staged_commits): if it is cut off half-way
// (the hub killed, ClickHouse gone), the next open of the store completes it, and the rows
// it moved twice count once (their tags are flagged as overwritten, clickhouse_storage.h).
// A writer destroyed before Commit() drops its stage.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "store/clickhouse/sample_rows.h"
#include "store/storage.h"

namespace fh::clickhouse {

class ClickHouseStorage;

class ClickHouseWriter final : public SampleWriter {
 public:
  static Result<std::unique_ptr<ClickHouseWriter>> Begin(ClickHouseStorage* storage);
  ~ClickHouseWriter() override;

  Status Append(const SampleBatch& batch) override;
  Status Commit() override;
  int64_t appended() const override { return appended_; }

  // Rows already encoded (with `points` points before duplicates were dropped).
  Status AppendRows(const SampleRows& rows, size_t points);

  // Stage tables are named stage_<site hash>_<version>: a hub finds its own, and knows
  // how old they are.
  static std::string StageName(std::string_view site, uint64_t version);

 private:
  ClickHouseWriter(ClickHouseStorage* storage, std::string stage)
      : storage_(storage), stage_(std::move(stage)) {}

  ClickHouseStorage* storage_;
  std::string stage_;
  int64_t appended_ = 0;
  bool done_ = false;
  std::map<std::string, TagSpan> spans_;  // per tag, the times appended so far
  std::set<std::string> repeated_;        // tags appended twice at one time
};

}  // namespace fh::clickhouse
