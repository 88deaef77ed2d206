#include "store/clickhouse/clickhouse_writer.h"

#include <fmt/format.h>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {

std::string ClickHouseWriter::StageName(std::string_view site, uint64_t version) {
  return fmt::format("{}{:08x}_{}", kStagePrefix, static_cast<uint32_t>(StableHash(site)), version);
}

Result<std::unique_ptr<ClickHouseWriter>> ClickHouseWriter::Begin(ClickHouseStorage* storage) {
  std::string stage = StageName(storage->site_, storage->NextVersion());
  ClientPool::Lease client = storage->pool_.Acquire();
  FH_RETURN_IF_ERROR(client->Execute(CreateStageSql(stage)));
  return std::unique_ptr<ClickHouseWriter>(new ClickHouseWriter(storage, std::move(stage)));
}

ClickHouseWriter::~ClickHouseWriter() {
  if (done_) return;
  ClientPool::Lease client = storage_->pool_.Acquire();
  // Best effort: a stage left behind is dropped by the next open after a day.
  (void)client->Execute(fmt::format("DROP TABLE IF EXISTS {}", stage_));
}

Status ClickHouseWriter::Append(const SampleBatch& batch) {
  if (done_) return FailedPrecondition("the writer has already committed");
  if (batch.empty()) return Status();
  FH_ASSIGN_OR_RETURN(SampleRows rows,
                      EncodeSampleRows(batch, storage_->site_, storage_->NextVersion()));
  return AppendRows(rows, batch.size());
}

Status ClickHouseWriter::AppendRows(const SampleRows& rows, size_t points) {
  ClientPool::Lease client = storage_->pool_.Acquire();
  FH_RETURN_IF_ERROR(client->InsertRowBinary(stage_, kSampleColumns, rows.row_binary));
  for (const TagSpan& s : rows.tags) {
    auto [it, added] = spans_.try_emplace(s.tag, s);
    if (added) continue;
    // Appended again at or before a time this writer has: two rows of one point may meet.
    if (s.first <= it->second.last && s.last >= it->second.first) repeated_.insert(s.tag);
    it->second.first = std::min(it->second.first, s.first);
    it->second.last = std::max(it->second.last, s.last);
  }
  appended_ += static_cast<int64_t>(points);
  return Status();
}

Status ClickHouseWriter::Commit() {
  if (done_) return FailedPrecondition("the writer has already committed");
  std::shared_lock lock(storage_->write_mu_);
  std::vector<TagSpan> spans;
  for (const auto& [tag, span] : spans_)
    spans.push_back(span);
  FH_RETURN_IF_ERROR(storage_->FlagOverwrites(spans, repeated_));
  FH_RETURN_IF_ERROR(storage_->CommitStage(stage_));
  done_ = true;
  std::lock_guard known(storage_->known_mu_);
  for (const auto& [tag, span] : spans_)
    storage_->known_tags_.insert(tag);
  return Status();
}

}  // namespace fh::clickhouse
