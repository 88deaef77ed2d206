#include "analytics/retention/retention_run.h"

#include <map>

namespace fh::analytics::retention {

namespace run_detail {

TimestampNs FloorTo(TimestampNs t, int64_t every) {
  TimestampNs q = t / every;
  if (t % every != 0 && t < 0) --q;
  return q * every;
}

// Points of `tag` before `before`, counted by the store.
Result<int64_t> CountBefore(Storage& storage, const std::string& tag, TimestampNs before) {
  AggregateQuery q;
  q.tags = {tag};
  q.range = {std::numeric_limits<TimestampNs>::min(), before};
  q.aggs = kAggCount;
  FH_ASSIGN_OR_RETURN(std::vector<TagBuckets> got, storage.Aggregate(q));
  int64_t n = 0;
  for (const TagBuckets& tb : got)
    for (const Bucket& b : tb.buckets)
      n += b.count;
  return n;
}

// What a rollup point holds: enough to merge a later one into it.
struct Summary {
  int64_t count = 0;
  double sum = 0, min = 0, max = 0;
};

// The rollup already stored for [from, to): count and, where kept, sum, min and max (sum
// from the mean when only that is kept).
Result<std::map<TimestampNs, Summary>> StoredRollup(Storage& storage, const RetentionPolicy& p,
                                                    const std::string& tag, TimeRange range) {
  std::map<TimestampNs, Summary> out;
  auto read = [&](const std::string& aggregate, auto&& apply) -> Status {
    Status st = storage.Scan(
        p.RollupTag(tag, aggregate), range,
        [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
          for (size_t i = 0; i < ts.size(); ++i)
            apply(out[ts[i]], v[i]);
          return true;
        });
    return st.code() == StatusCode::kNotFound ? Status::Ok() : st;
  };
  FH_RETURN_IF_ERROR(
      read("count", [](Summary& s, double v) { s.count = static_cast<int64_t>(v); }));
  if (out.empty()) return out;
  FH_RETURN_IF_ERROR(read("min", [](Summary& s, double v) { s.min = v; }));
  FH_RETURN_IF_ERROR(read("max", [](Summary& s, double v) { s.max = v; }));
  FH_RETURN_IF_ERROR(
      read("mean", [](Summary& s, double v) { s.sum = v * static_cast<double>(s.count); }));
  FH_RETURN_IF_ERROR(read("sum", [](Summary& s, double v) { s.sum = v; }));
  return out;
}

struct RollupCounts {
  int64_t summarised = 0;  // raw points
  int64_t written = 0;     // rollup points
};

// Rolls up the points of `tag` in [from, to) into `batch`.
Result<RollupCounts> Rollup(Storage& storage, const RetentionPolicy& p, const std::string& tag,
                            TimestampNs from, TimestampNs to, SampleBatch* batch) {
  AggregateQuery q;
  q.tags = {tag};
  q.range = {FloorTo(from, p.rollup_ns), to};
  q.every = p.rollup_ns;
  q.aggs = kAggCount | kAggSum | kAggMin | kAggMax;
  FH_ASSIGN_OR_RETURN(std::vector<TagBuckets> got, storage.Aggregate(q));
  RollupCounts counts;
  if (got.empty() || got[0].buckets.empty()) return counts;
  FH_ASSIGN_OR_RETURN(auto stored, StoredRollup(storage, p, tag, q.range));
  for (const Bucket& b : got[0].buckets) {
    counts.summarised += b.count;
    Summary s{b.count, b.sum, b.min, b.max};
    if (auto it = stored.find(b.start); it != stored.end() && it->second.count > 0) {
      const Summary& old = it->second;
      s.count += old.count;
      s.sum += old.sum;
      s.min = std::min(s.min, old.min);
      s.max = std::max(s.max, old.max);
    }
    batch->Add(p.RollupTag(tag, "count"), b.start, static_cast<double>(s.count));
    ++counts.written;
    for (const std::string& a : p.aggregates) {
      const double v = a == "mean"  ? s.sum / static_cast<double>(s.count)
                       : a == "min" ? s.min
                       : a == "max" ? s.max
                                    : s.sum;
      batch->Add(p.RollupTag(tag, a), b.start, v);
      ++counts.written;
    }
  }
  return counts;
}

// The tag a rollup tag summarises and its aggregate: "T:mean_1m" → T.
std::string_view SourceOf(std::string_view rollup_tag) {
  return rollup_tag.substr(0, rollup_tag.rfind(':'));
}

}  // namespace run_detail

Result<RetentionReport> ApplyRetention(Storage& storage, const RetentionConfig& config,
                                       TimestampNs now, bool dry_run,
                                       const std::atomic<bool>* stop) {
  using namespace run_detail;
  RetentionReport report;
  if (config.policies.empty()) return report;
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, storage.ListTags());
  for (const TagInfo& t : tags) {
    if (stop != nullptr && stop->load()) break;
    const bool rollup_tag = IsRollupTag(t.name);
    const RetentionPolicy* p = config.PolicyFor(rollup_tag ? SourceOf(t.name) : t.name);
    if (!p) continue;
    if (!rollup_tag) ++report.tags_covered;
    TagRetention r{t.name, p->name, 0, 0, 0};
    if (rollup_tag) {
      if (p->rollups_ns == 0) continue;
      r.cutoff = now - p->rollups_ns;
    } else {
      r.cutoff = now - p->raw_ns;
      // A rollup interval is summarised whole, or not yet.
      if (p->rollup_ns) r.cutoff = FloorTo(r.cutoff, p->rollup_ns);
    }
    if (t.samples == 0 || t.first_ts >= r.cutoff) continue;
    SampleBatch batch;
    if (!rollup_tag && p->rollup_ns) {
      // The rollup's buckets hold every point before the cut: they count what goes.
      FH_ASSIGN_OR_RETURN(RollupCounts counts,
                          Rollup(storage, *p, t.name, t.first_ts, r.cutoff, &batch));
      r.deleted = counts.summarised;
      r.rollup_points = counts.written;
    } else {
      FH_ASSIGN_OR_RETURN(r.deleted, CountBefore(storage, t.name, r.cutoff));
    }
    if (r.deleted == 0) continue;
    if (!dry_run && batch.size() > 0) FH_RETURN_IF_ERROR(storage.Write(batch));
    if (!dry_run) FH_RETURN_IF_ERROR(storage.DeleteBefore({t.name}, r.cutoff));
    report.deleted += r.deleted;
    report.rollup_points += r.rollup_points;
    report.tags.push_back(std::move(r));
  }
  return report;
}

}  // namespace fh::analytics::retention
