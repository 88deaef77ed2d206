// The ClickHouse back end: a hub's time series in a ClickHouse server (a central store many
// plants' hubs write into, each as its own site), behind the same Storage interface as the
// embedded store, so that the CLI, API and dashboard answer the same from either. The hub's
// catalog (assets, orders, users, the audit ledger) stays in its own SQLite file: it is
// small, transactional and the hub's alone (docs/storage.md).
//
// How it keeps Storage's promises on an engine without transactions (schema:
// clickhouse_schema.h):
// - Atomic writes: a batch within one month is one INSERT of one block, which ClickHouse
//   stores whole or not at all; larger ones and streaming writers go through a stage table
//   moved into samples at commit (clickhouse_writer.h).
// - Last write wins: every write carries a rising version (seq); of two rows of one point
//   ClickHouse keeps the higher when it merges. Scans keep the last of equal times; tags
//   that may hold two rows of one point are flagged and aggregated with FINAL until
//   Compact() has merged them (a write that meets times already stored flags it).
// - Durability: an acknowledged INSERT is in ClickHouse's files. ClickHouse 18.16 does not
//   fsync them: a kill -9 of either process loses nothing, a power cut may (docs/storage.md).
//
// A process learns a tag's newest stored time once, then follows it by its own writes
// (written_spans.h). One
// hub writes one site: should two processes write the same times of one tag (each unaware
// of the other's newer points), a point may be stored twice unflagged — counted twice by
// aggregates, never by scans — until the next Compact(), which finds and merges it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/client_pool.h"
#include "store/clickhouse/sample_rows.h"
#include "store/clickhouse/written_spans.h"
#include "store/hub.h"
#include "store/storage.h"

namespace fh::clickhouse {

class ClickHouseWriter;

class ClickHouseStorage final : public Storage {
 public:
  // Connects, creates the schema if missing and completes any commit cut off half-way.
  // With a read_only_reason nothing is created or written.
  static Result<std::unique_ptr<ClickHouseStorage>> Open(const StorageConfig& config,
                                                         const std::string& read_only_reason = "");
  ~ClickHouseStorage() override;

  Status Write(const SampleBatch& batch) override;
  Result<std::unique_ptr<SampleWriter>> NewWriter() override;
  Result<std::vector<TagInfo>> ListTags() override;
  Status Scan(const std::string& tag, TimeRange range, const ScanFn& fn) override;
  Result<std::optional<Sample>> Latest(const std::string& tag) override;
  Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& query) override;
  Status Compact() override;
  // 18.16 has no TTL: an ALTER TABLE ... DELETE mutation (ON CLUSTER on a cluster), waited
  // for until ClickHouse has applied it; tag_stats learns of the rows deleted as negative
  // counts, and retention_floors of the cut (clickhouse_delete.cpp).
  Status DeleteBefore(const std::vector<std::string>& tags, TimestampNs before) override;
  Result<StorageStats> Stats() override;

  const std::string& site() const { return site_; }
  // Rows a scan aims to read per query (default 1,000,000); small in tests, to cross
  // windows with few points.
  void set_scan_page_rows(int64_t rows) { scan_page_rows_ = rows; }

 private:
  friend class ClickHouseWriter;

  ClickHouseStorage(Endpoint endpoint, std::string site, std::string cluster,
                    std::string read_only_reason);

  Status CheckWritable() const;
  // A version above every one this process gave (nanoseconds of the clock, or one more).
  uint64_t NextVersion();
  // Flags the tags whose points may land on times already stored (by this process's
  // record, or ClickHouse's tag_stats), and `also`, before their rows are inserted.
  Status FlagOverwrites(const std::vector<TagSpan>& spans, const std::set<std::string>& also = {});
  // Flags every tag of a stage (a commit done again may move rows twice).
  Status FlagStageTags(const std::string& stage);
  // Records a stage's commit state in staged_commits (1: committing, 2: committed).
  Status RecordCommit(const std::string& stage, uint8_t state);
  // Moves a stage into samples and drops it, recorded in staged_commits first.
  Status CommitStage(const std::string& stage);
  // The newest time ClickHouse has of each of `tags` (absent: none).
  Result<std::unordered_map<std::string, TimestampNs>> StoredLast(
      const std::vector<std::string>& tags);
  Result<std::set<std::string>> OverwrittenTags();
  // tag_stats' first times of the tags a DeleteBefore cut, read again above the cut.
  Status ApplyFloors(std::vector<TagInfo>& tags);
  // NotFound naming the first of `tags` this site has no point of.
  Status CheckKnown(const std::vector<std::string>& tags);
  // Inserts one write's rows, grouped with concurrent writes' (group commit).
  Status InsertSamples(const SampleRows& rows);
  Status RecoverCommits();
  Status DropStaleStages();

  ClientPool pool_;
  const TableNames tables_;
  const std::string cluster_;  // storage.clickhouse.cluster; empty: one server
  std::string site_;
  std::string site_sql_;  // quoted for statements
  std::string read_only_reason_;

  // Writes hold it shared, Compact() exclusively: its counts see no write half-done.
  std::shared_mutex write_mu_;
  std::atomic<uint64_t> last_version_{0};
  std::mutex known_mu_;
  // Per tag the times this process knows stored or being stored (see FlagOverwrites).
  std::unordered_map<std::string, WrittenSpans> written_;
  std::set<std::string> known_tags_;  // tags with points: never forgotten (nothing deletes)
  int64_t scan_page_rows_ = 1'000'000;

  // Writes waiting for the INSERT that carries them (InsertSamples).
  struct PendingInsert {
    const SampleRows* rows;
    Status result;
    bool done = false;
  };
  std::mutex group_mu_;
  std::condition_variable group_cv_;
  std::list<PendingInsert*> group_queue_;
  int group_in_flight_ = 0;
};

}  // namespace fh::clickhouse
