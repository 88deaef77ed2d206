// SqliteSampleWriter: a streaming write into one SQLite transaction.
//
// Points gather per tag in memory; a tag's points are flushed as a chunk when they reach
// chunk_points, and everything pending is flushed when the total passes
// max_pending_points, so memory stays bounded whatever the input size. At Commit() the
// small remainders go to the row buffer, tags whose buffer has grown are compacted, and the
// transaction commits: durable from then on.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/hub.h"  // StorageConfig
#include "store/sqlite/db.h"
#include "store/sqlite_storage/chunk_store.h"
#include "store/sqlite_storage/tag_compaction.h"
#include "store/sqlite_storage/tag_directory.h"
#include "store/storage.h"

namespace fh::sqlite {

// InvalidArgument naming the point and the range the store keeps (IsStorableTimestamp):
// what a write of a batch holding an unstorable timestamp returns, storing nothing.
Status UnstorableTimestamp(TimestampNs ts, std::string_view tag);

// What a writer writes through: the store's write connection (used under its write lock,
// which the writer holds or its creator does) and the store's parts a write touches.
struct SqliteWriteContext {
  Db& db;
  const StorageConfig& config;
  TagDirectory& tags;
  TagCompaction& compaction;
  std::function<void()> after_commit;  // the store's upkeep once a write is durable
};

class SqliteSampleWriter final : public SampleWriter {
 public:
  // Begins the write transaction on context.db. `lock`: the store's write lock, held for
  // the writer's lifetime (empty when the caller holds it, as the log's flush does).
  static Result<std::unique_ptr<SqliteSampleWriter>> Begin(SqliteWriteContext context,
                                                           std::unique_lock<std::mutex> lock);

  Status Append(const SampleBatch& batch) override;
  // Points of one tag known by id, in time order or not.
  Status AppendTag(int64_t tag_id, std::span<const TimestampNs> ts, std::span<const double> values,
                   std::span<const uint32_t> quality);
  Status Commit() override;
  // Commit(), running `before_commit` in the transaction last.
  Status CommitWith(const std::function<Status(Db&)>& before_commit);
  // Remainders go to chunks too, not to the row buffer: for the log's flush, whose
  // remainders are a whole flush's worth of a tag (inserting them row by row would cost
  // more than the chunk compaction merges later).
  void RemaindersToChunks() { remainders_to_chunks_ = true; }
  int64_t appended() const override { return appended_; }
  // From now on the writer holds the store's write lock until it is gone.
  void HoldLock(std::unique_lock<std::mutex> lock) { lock_ = std::move(lock); }

 private:
  struct TagSlot {
    int64_t tag_id;
    SeriesColumns pending;
    bool buffered = false;  // points of this tag went to the row buffer
    // Points of this tag reached into stored ones: compacted at commit, so that no two
    // stored points share a timestamp (store/sqlite_storage/layout.h).
    bool overlaps = false;
  };

  SqliteSampleWriter(SqliteWriteContext context, std::unique_lock<std::mutex> lock, Transaction txn,
                     int64_t seq);
  Result<size_t> SlotFor(const std::string& name);
  size_t SlotForId(int64_t tag_id);
  // Appends one point to a slot, flushing the slot or everything when they fill up.
  Status AppendPoint(TagSlot& slot, TimestampNs ts, double value, uint32_t quality);
  Status FlushSlot(TagSlot& slot, bool final);
  Status FlushAll(bool final);

  // Points per writer held in memory before everything is flushed (≈ 20 bytes a point).
  static constexpr size_t kMaxPendingPoints = 4 << 20;

  SqliteWriteContext context_;
  std::unique_lock<std::mutex> lock_;  // the store's write lock (empty: the caller holds it)
  std::optional<Transaction> txn_;
  int64_t seq_;  // last write sequence used
  ChunkStore chunks_;
  std::vector<TagSlot> slots_;
  std::unordered_map<std::string, size_t> slot_by_name_;
  std::unordered_map<int64_t, size_t> slot_by_id_;
  std::vector<std::pair<std::string, int64_t>> created_tags_;  // cached once committed
  std::vector<size_t> batch_slots_;                            // reused: batch tag index → slot
  size_t pending_ = 0;
  int64_t appended_ = 0;
  bool failed_ = false;
  bool remainders_to_chunks_ = false;
};

}  // namespace fh::sqlite
