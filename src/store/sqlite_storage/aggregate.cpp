// Aggregate queries: tags are spread over worker threads, each with its own read
// connection and snapshot; each tag's points stream through a BucketAggregator.
#include <algorithm>
#include <atomic>
#include <thread>

#include "common/usable_cores.h"
#include "store/sqlite_storage/bucket_aggregator.h"
#include "store/sqlite_storage/series_reader.h"
#include "store/sqlite_storage/sqlite_storage.h"

namespace fh::sqlite {
namespace {

class AggregateVisitor final : public SeriesVisitor {
 public:
  AggregateVisitor(BucketAggregator* agg, size_t max_buckets)
      : agg_(agg), max_buckets_(max_buckets) {}
  bool wants_quality() const override { return false; }
  bool TakeSummary(const ChunkSummary& s) override {
    return agg_->AddSummary(s.t_min, s.t_max, s.count, s.min, s.max, s.sum);
  }
  bool Points(std::span<const TimestampNs> ts, std::span<const double> values,
              std::span<const uint32_t>) override {
    agg_->Add(ts, values);
    return max_buckets_ == 0 || agg_->complete() <= max_buckets_;
  }

 private:
  BucketAggregator* agg_;
  size_t max_buckets_;
};

// Tags per worker thread below which another thread is not worth starting.
constexpr size_t kTagsPerThread = 4;

}  // namespace

Result<std::vector<TagBuckets>> SqliteStorage::Aggregate(const AggregateQuery& query) {
  if (query.every < 0) return InvalidArgument("bucket width must be positive, got {}", query.every);
  if (query.aggs == 0) return InvalidArgument("no aggregate function requested");
  std::vector<TagBuckets> out(query.tags.size());
  size_t threads = std::clamp<size_t>(query.tags.size() / kTagsPerThread, 1, UsableCores());
  std::atomic<size_t> next{0};
  std::vector<Status> errors(threads);

  auto work = [&](size_t worker) {
    Result<ReadPool::Lease> lease = readers_.Acquire();
    if (!lease.ok()) {
      errors[worker] = lease.status();
      return;
    }
    Db& db = lease->db();
    Result<ReadView> view = BeginRead(db);
    if (!view.ok()) {
      errors[worker] = view.status();
      return;
    }
    SeriesReader reader;
    std::vector<SeqSample> fresh;
    for (size_t i; (i = next.fetch_add(1)) < query.tags.size();) {
      out[i].tag = query.tags[i];
      Result<int64_t> tag_id = tags_.Find(db, query.tags[i]);
      if (!tag_id.ok()) {
        errors[worker] = tag_id.status();
        return;
      }
      BucketAggregator agg(query.range, query.every, query.aggs);
      AggregateVisitor visitor(&agg, query.max_buckets);
      fresh.clear();
      CollectFresh(view->fresh, *tag_id, query.range, &fresh);
      Status s = reader.Read(db, *tag_id, query.range, visitor, fresh);
      if (!s.ok()) {
        errors[worker] = s.WithContext(fmt::format("tag '{}'", query.tags[i]));
        return;
      }
      out[i].buckets = agg.Finish();
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (size_t t = 0; t < threads; ++t)
      pool.emplace_back(work, t);
  }
  for (const Status& s : errors)
    FH_RETURN_IF_ERROR(s);
  return out;
}

}  // namespace fh::sqlite
