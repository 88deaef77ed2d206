// The hub's storage when it forwards to a central hub: every write goes to the store, then
// (before the writer is told it is stored) into the outbox (outbox.h). Reads pass through.
// A streaming writer spools what it is given to a file beside the outbox and appends it once
// the store has committed it: an import of a billion points costs no memory.
#pragma once

#include <filesystem>
#include <memory>

#include "store/outbox/outbox.h"
#include "store/storage.h"

namespace fh::outbox {

// Points per outbox record when a large write is split (a record is sent whole).
inline constexpr size_t kRecordPoints = 50'000;

class OutboxStorage final : public Storage {
 public:
  OutboxStorage(std::unique_ptr<Storage> inner, std::unique_ptr<Outbox> outbox,
                std::filesystem::path spool_dir)
      : inner_(std::move(inner)), outbox_(std::move(outbox)), spool_dir_(std::move(spool_dir)) {}

  Status Write(const SampleBatch& batch) override;
  Result<std::unique_ptr<SampleWriter>> NewWriter() override;
  Result<std::vector<TagInfo>> ListTags() override { return inner_->ListTags(); }
  Status Scan(const std::string& tag, TimeRange range, const ScanFn& fn) override {
    return inner_->Scan(tag, range, fn);
  }
  Result<std::optional<Sample>> Latest(const std::string& tag) override {
    return inner_->Latest(tag);
  }
  Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& query) override {
    return inner_->Aggregate(query);
  }
  Status Compact() override { return inner_->Compact(); }
  Result<StorageStats> Stats() override { return inner_->Stats(); }
  // Retention is each hub's own: the central hub keeps what its policies say.
  Status DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) override {
    return inner_->DeleteBefore(tags, before);
  }

  Outbox& outbox() { return *outbox_; }

 private:
  std::unique_ptr<Storage> inner_;
  std::unique_ptr<Outbox> outbox_;
  std::filesystem::path spool_dir_;
};

// Appends `batch` to the outbox, in records of at most kRecordPoints points.
Status AppendBatch(Outbox& outbox, const SampleBatch& batch);

}  // namespace fh::outbox
