#include "store/clickhouse/clickhouse_storage.h"

#include <chrono>
#include <cstdlib>
#include <limits>
#include <regex>

#include <fmt/format.h>

#include "store/clickhouse/clickhouse_schema.h"
#include "store/clickhouse/clickhouse_sql.h"
#include "store/clickhouse/clickhouse_writer.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {
namespace storage_detail {

// One INSERT of at most this many rows is one block, stored whole or not at all
// (ClickHouse's max_insert_block_size is 1,048,576).
constexpr size_t kMaxAtomicRows = 1'000'000;
constexpr int kInsertsInFlight = 2;

bool IsPlainName(const std::string& name) {
  static const std::regex kName("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(name, kName);
}

// A tag's id: ClickHouse numbers nothing, so a stable 53-bit hash of the name (FNV-1a),
// the same in every process and every release.
int64_t TagId(std::string_view name) {
  return static_cast<int64_t>(StableHash(name) & ((uint64_t{1} << 53) - 1));
}

Status Truncated(std::string_view what) {
  return Internal("ClickHouse's answer to {} ended in the middle of a row", what);
}

}  // namespace storage_detail

ClickHouseStorage::ClickHouseStorage(Endpoint endpoint, std::string site, std::string cluster,
                                     std::string read_only_reason)
    : pool_(std::move(endpoint)),
      tables_(TableNames::For(!cluster.empty())),
      cluster_(std::move(cluster)),
      site_(std::move(site)),
      site_sql_(Quote(site_)),
      read_only_reason_(std::move(read_only_reason)) {}

ClickHouseStorage::~ClickHouseStorage() = default;

Result<std::unique_ptr<ClickHouseStorage>> ClickHouseStorage::Open(
    const StorageConfig& config, const std::string& read_only_reason) {
  const ClickHouseConfig& c = config.clickhouse;
  FH_ASSIGN_OR_RETURN(Endpoint endpoint, Endpoint::FromUrl(c.url));
  if (!storage_detail::IsPlainName(c.database)) {
    return InvalidArgument(
        "storage.clickhouse.database '{}' must be letters, digits and _ (not starting with a "
        "digit)",
        c.database);
  }
  if (c.site.empty()) return InvalidArgument("storage.clickhouse.site is empty");
  if (!c.cluster.empty() && !storage_detail::IsPlainName(c.cluster)) {
    return InvalidArgument("storage.clickhouse.cluster '{}' must be letters, digits and _",
                           c.cluster);
  }
  endpoint.database = c.database;
  endpoint.user = c.user;
  if (!c.password_env.empty()) {
    if (const char* password = std::getenv(c.password_env.c_str())) endpoint.password = password;
  }
  endpoint.gzip = c.compression == "gzip";
  endpoint.timeout = std::chrono::milliseconds(c.timeout_ms);
  // Through a Distributed table an INSERT is acknowledged once every shard has its rows,
  // not once they are queued on this server for later.
  if (!c.cluster.empty()) endpoint.url_settings = "insert_distributed_sync=1";

  auto storage = std::unique_ptr<ClickHouseStorage>(
      new ClickHouseStorage(endpoint, c.site, c.cluster, read_only_reason));
  const std::string where = fmt::format("ClickHouse at {} (database {})", c.url, c.database);
  if (read_only_reason.empty()) {
    // The database may not exist yet: create it from a session in one that always does.
    Endpoint system = endpoint;
    system.database = "system";
    HttpClient client(system);
    FH_RETURN_IF_ERROR(CreateSchema(client, c.database, c.cluster).WithContext(where));
    FH_RETURN_IF_ERROR(storage->RecoverCommits().WithContext(where));
    FH_RETURN_IF_ERROR(storage->DropStaleStages().WithContext(where));
  } else {
    ClientPool::Lease client = storage->pool_.Acquire();
    FH_RETURN_IF_ERROR(
        client->Execute(fmt::format("SELECT 1 FROM {} LIMIT 0", storage->tables_.samples))
            .WithContext(where));
  }
  return storage;
}

Status ClickHouseStorage::CheckWritable() const {
  if (read_only_reason_.empty()) return Status();
  return FailedPrecondition("the store is open read-only: {}", read_only_reason_);
}

uint64_t ClickHouseStorage::NextVersion() {
  const uint64_t now =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  uint64_t last = last_version_.load();
  uint64_t next;
  do {
    next = std::max(now, last + 1);
  } while (!last_version_.compare_exchange_weak(last, next));
  return next;
}

Result<std::unordered_map<std::string, TimestampNs>> ClickHouseStorage::StoredLast(
    const std::vector<std::string>& tags) {
  std::unordered_map<std::string, TimestampNs> out;
  if (tags.empty()) return out;
  ClientPool::Lease client = pool_.Acquire();
  FH_ASSIGN_OR_RETURN(
      std::string answer,
      client->Query(fmt::format("SELECT tag, maxMerge(last) FROM {} WHERE site = {} AND tag IN {} "
                                "GROUP BY tag FORMAT RowBinary",
                                tables_.tag_stats, site_sql_, QuotedList(tags))));
  RowBinaryCursor cursor(answer);
  while (!cursor.done()) {
    std::string tag;
    int64_t last;
    if (!cursor.String(&tag) || !cursor.Fixed(&last)) {
      return storage_detail::Truncated("the tags' newest times");
    }
    out.emplace(std::move(tag), last);
  }
  return out;
}

Status ClickHouseStorage::FlagOverwrites(const std::vector<TagSpan>& spans,
                                         const std::set<std::string>& also) {
  // ClickHouse is asked only of tags this process has not written or asked of yet: a
  // stream's every batch would otherwise cost a query of its thousand tags.
  std::vector<std::string> ask;
  {
    std::lock_guard lock(known_mu_);
    for (const TagSpan& s : spans) {
      if (!written_.contains(s.tag)) ask.push_back(s.tag);
    }
  }
  FH_ASSIGN_OR_RETURN(auto stored, StoredLast(ask));
  std::vector<std::string> flag(also.begin(), also.end());
  {
    // Adding the span under the lock makes a concurrent write of the same times by this
    // process see it, whichever of the two reaches ClickHouse first.
    std::lock_guard lock(known_mu_);
    for (const TagSpan& s : spans) {
      auto [it, added] = written_.try_emplace(s.tag);
      if (added) {
        // First heard of: everything up to ClickHouse's newest time counts as stored.
        if (auto st = stored.find(s.tag); st != stored.end()) {
          it->second.Add(std::numeric_limits<TimestampNs>::min(), st->second);
        }
      }
      if (it->second.Meets(s.first, s.last) && !also.contains(s.tag)) flag.push_back(s.tag);
      it->second.Add(s.first, s.last);
    }
  }
  if (flag.empty()) return Status();
  std::string rows;
  RowBinaryWriter w(&rows);
  const uint64_t version = NextVersion();
  for (const std::string& tag : flag) {
    w.String(site_);
    w.String(tag);
    w.UInt8(1);
    w.UInt64(version);
  }
  ClientPool::Lease client = pool_.Acquire();
  return client->InsertRowBinary(tables_.overwritten, "site, tag, overwritten, version", rows);
}

Result<std::set<std::string>> ClickHouseStorage::OverwrittenTags() {
  ClientPool::Lease client = pool_.Acquire();
  // argMax rather than FINAL: a WHERE on a column outside the key may be applied before
  // FINAL's merge, and would find a flag already cleared.
  FH_ASSIGN_OR_RETURN(
      std::string answer,
      client->Query(fmt::format("SELECT tag FROM (SELECT tag, argMax(overwritten, version) AS o "
                                "FROM {} WHERE site = {} GROUP BY tag) WHERE o = 1 "
                                "FORMAT RowBinary",
                                tables_.overwritten, site_sql_)));
  std::set<std::string> out;
  RowBinaryCursor cursor(answer);
  while (!cursor.done()) {
    std::string tag;
    if (!cursor.String(&tag)) return storage_detail::Truncated("the overwritten tags");
    out.insert(std::move(tag));
  }
  return out;
}

Status ClickHouseStorage::CheckKnown(const std::vector<std::string>& tags) {
  std::vector<std::string> unknown;
  {
    std::lock_guard lock(known_mu_);
    for (const std::string& t : tags) {
      if (!known_tags_.contains(t)) unknown.push_back(t);
    }
  }
  if (unknown.empty()) return Status();
  FH_ASSIGN_OR_RETURN(auto stored, StoredLast(unknown));
  std::lock_guard lock(known_mu_);
  for (const std::string& t : unknown) {
    if (!stored.contains(t)) return NotFound("no tag '{}'", t);
    known_tags_.insert(t);
  }
  return Status();
}

Status ClickHouseStorage::InsertSamples(const SampleRows& rows) {
  // Group commit: writes that arrive while kInsertsInFlight INSERTs are on their way go
  // together in the next one, as long as they stay one block of one month (so the INSERT
  // stays atomic). Fewer, larger parts are what ClickHouse is built for, and two INSERTs at
  // once keep both of its cores busy; each write waits for its group's answer.
  PendingInsert me{&rows};
  std::unique_lock lock(group_mu_);
  group_queue_.push_back(&me);
  while (!me.done) {
    if (group_in_flight_ >= storage_detail::kInsertsInFlight || group_queue_.empty()) {
      group_cv_.wait(lock);
      continue;
    }
    ++group_in_flight_;
    std::vector<PendingInsert*> group;
    size_t total = 0;
    const std::optional<int> month = group_queue_.front()->rows->single_month;
    for (auto it = group_queue_.begin(); it != group_queue_.end();) {
      const SampleRows& r = *(*it)->rows;
      if (r.single_month == month && total + r.rows <= storage_detail::kMaxAtomicRows) {
        total += r.rows;
        group.push_back(*it);
        it = group_queue_.erase(it);
      } else {
        ++it;
      }
    }
    lock.unlock();
    std::string joined;
    if (group.size() > 1) {
      size_t bytes = 0;
      for (const PendingInsert* p : group)
        bytes += p->rows->row_binary.size();
      joined.reserve(bytes);
      for (const PendingInsert* p : group)
        joined += p->rows->row_binary;
    }
    Status result;
    {
      ClientPool::Lease client = pool_.Acquire();
      result = client->InsertRowBinary(tables_.samples, kSampleColumns,
                                       group.size() > 1 ? joined : group[0]->rows->row_binary);
    }
    if (result.ok()) {
      std::lock_guard known(known_mu_);
      for (const PendingInsert* p : group) {
        for (const TagSpan& t : p->rows->tags)
          known_tags_.insert(t.tag);
      }
    }
    lock.lock();
    for (PendingInsert* p : group) {
      p->result = result;
      p->done = true;
    }
    --group_in_flight_;
    group_cv_.notify_all();
  }
  return me.result;
}

Status ClickHouseStorage::Write(const SampleBatch& batch) {
  FH_RETURN_IF_ERROR(CheckWritable());
  if (batch.empty()) return Status();
  FH_ASSIGN_OR_RETURN(SampleRows rows, EncodeSampleRows(batch, site_, NextVersion()));
  if (!rows.single_month || rows.rows > storage_detail::kMaxAtomicRows) {
    // Several partitions, or more than one block: atomic only through a stage.
    FH_ASSIGN_OR_RETURN(auto writer, ClickHouseWriter::Begin(this));
    FH_RETURN_IF_ERROR(writer->AppendRows(rows, batch.size()));
    return writer->Commit();
  }
  std::shared_lock lock(write_mu_);
  FH_RETURN_IF_ERROR(FlagOverwrites(rows.tags));
  return InsertSamples(rows);
}

Result<std::unique_ptr<SampleWriter>> ClickHouseStorage::NewWriter() {
  FH_RETURN_IF_ERROR(CheckWritable());
  FH_ASSIGN_OR_RETURN(auto writer, ClickHouseWriter::Begin(this));
  return std::unique_ptr<SampleWriter>(std::move(writer));
}

Result<std::vector<TagInfo>> ClickHouseStorage::ListTags() {
  std::string answer;
  {
    ClientPool::Lease client = pool_.Acquire();
    FH_ASSIGN_OR_RETURN(answer,
                        client->Query(fmt::format(
                            "SELECT tag, sumMerge(points), minMerge(first), maxMerge(last) FROM {} "
                            "WHERE site = {} GROUP BY tag ORDER BY tag FORMAT RowBinary",
                            tables_.tag_stats, site_sql_)));
  }
  std::vector<TagInfo> tags;
  RowBinaryCursor cursor(answer);
  while (!cursor.done()) {
    TagInfo t;
    if (!cursor.String(&t.name) || !cursor.Fixed(&t.samples) || !cursor.Fixed(&t.first_ts) ||
        !cursor.Fixed(&t.last_ts)) {
      return storage_detail::Truncated("the list of tags");
    }
    t.id = storage_detail::TagId(t.name);
    tags.push_back(std::move(t));
  }
  // tag_stats counts rows inserted; a tag that may hold a point twice is counted exactly.
  FH_ASSIGN_OR_RETURN(std::set<std::string> overwritten, OverwrittenTags());
  if (!overwritten.empty()) {
    std::vector<std::string> names(overwritten.begin(), overwritten.end());
    ClientPool::Lease client = pool_.Acquire();
    FH_ASSIGN_OR_RETURN(answer, client->Query(fmt::format(
                                    "SELECT tag, count() FROM {} FINAL WHERE site = {} AND tag "
                                    "IN {} GROUP BY tag FORMAT RowBinary",
                                    tables_.samples, site_sql_, QuotedList(names))));
    std::unordered_map<std::string, int64_t> exact;
    RowBinaryCursor counts(answer);
    while (!counts.done()) {
      std::string tag;
      uint64_t n;
      if (!counts.String(&tag) || !counts.Fixed(&n)) {
        return storage_detail::Truncated("the overwritten tags' counts");
      }
      exact[tag] = static_cast<int64_t>(n);
    }
    for (TagInfo& t : tags) {
      if (auto it = exact.find(t.name); it != exact.end()) t.samples = it->second;
    }
  }
  FH_RETURN_IF_ERROR(ApplyFloors(tags));
  {
    std::lock_guard lock(known_mu_);
    for (const TagInfo& t : tags)
      known_tags_.insert(t.name);
  }
  return tags;
}

Result<std::optional<Sample>> ClickHouseStorage::Latest(const std::string& tag) {
  FH_RETURN_IF_ERROR(CheckKnown({tag}));
  const std::string tag_sql = Quote(tag);
  ClientPool::Lease client = pool_.Acquire();
  // The newest time from tag_stats, then that one point through the primary key.
  FH_ASSIGN_OR_RETURN(
      std::string answer,
      client->Query(fmt::format(
          "SELECT ts, value, quality FROM {0} WHERE site = {1} AND tag = {2} AND ts = (SELECT "
          "maxMerge(last) FROM {3} WHERE site = {1} AND tag = {2}) ORDER BY seq DESC LIMIT 1 "
          "FORMAT RowBinary",
          tables_.samples, site_sql_, tag_sql, tables_.tag_stats)));
  RowBinaryCursor cursor(answer);
  if (cursor.done()) return std::optional<Sample>();
  Sample s;
  uint32_t quality;
  if (!cursor.Fixed(&s.ts) || !cursor.Fixed(&s.value) || !cursor.Fixed(&quality)) {
    return storage_detail::Truncated("the latest point");
  }
  s.quality = quality;
  return std::optional<Sample>(s);
}

Result<StorageStats> ClickHouseStorage::Stats() {
  StorageStats stats;
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, ListTags());
  stats.tags = static_cast<int64_t>(tags.size());
  for (const TagInfo& t : tags)
    stats.samples += t.samples;
  ClientPool::Lease client = pool_.Acquire();
  FH_ASSIGN_OR_RETURN(std::string answer,
                      client->Query(fmt::format(
                          "SELECT count(), sum(bytes_on_disk) FROM system.parts WHERE database = "
                          "{} AND table = {} AND active FORMAT RowBinary",
                          Quote(pool_.endpoint().database), Quote(kSamplesTable))));
  RowBinaryCursor cursor(answer);
  uint64_t parts = 0, bytes = 0;
  if (!cursor.Fixed(&parts) || !cursor.Fixed(&bytes)) return storage_detail::Truncated("parts");
  stats.chunks = static_cast<int64_t>(parts);
  stats.bytes_on_disk = static_cast<int64_t>(bytes);
  return stats;
}

}  // namespace fh::clickhouse
