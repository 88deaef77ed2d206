#include "analytics/query.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_set>

#include "common/glob.h"
#include "common/text_trim.h"
#include "common/time.h"
#include "store/catalog/text_samples.h"

namespace fh::analytics {
namespace {

struct AggEntry {
  Agg agg;
  std::string_view name;
};
constexpr std::array<AggEntry, 8> kAggs = {{
    {kAggMean, "mean"},
    {kAggMin, "min"},
    {kAggMax, "max"},
    {kAggCount, "count"},
    {kAggFirst, "first"},
    {kAggLast, "last"},
    {kAggStddev, "stddev"},
    {kAggSum, "sum"},
}};

Result<int64_t> ParseLimit(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) {
    return InvalidArgument("not a positive integer: '{}'", text);
  }
  return n;
}

// Sets *field and passes the error through, so each parse below stays one line.
Status Fail(std::string_view field, const Status& status, std::string* bad_field) {
  if (bad_field) *bad_field = std::string(field);
  return status;
}

}  // namespace

std::string_view AggName(Agg agg) {
  for (const AggEntry& e : kAggs) {
    if (e.agg == agg) return e.name;
  }
  return "?";
}

Result<std::vector<Agg>> ParseAggList(std::string_view text) {
  std::vector<Agg> aggs;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = TrimBlanks(text.substr(0, comma));
    const AggEntry* found = nullptr;
    for (const AggEntry& e : kAggs) {
      if (e.name == item) found = &e;
    }
    if (found == nullptr) {
      return InvalidArgument(
          "unknown aggregate '{}' (expected a comma-separated list of "
          "mean, min, max, count, first, last, stddev, sum)",
          item);
    }
    if (std::find(aggs.begin(), aggs.end(), found->agg) == aggs.end()) aggs.push_back(found->agg);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return aggs;
}

double AggValue(const Bucket& b, Agg agg) {
  switch (agg) {
    case kAggCount:
      return static_cast<double>(b.count);
    case kAggMean:
      return b.mean;
    case kAggMin:
      return b.min;
    case kAggMax:
      return b.max;
    case kAggSum:
      return b.sum;
    case kAggFirst:
      return b.first;
    case kAggLast:
      return b.last;
    case kAggStddev:
      return b.stddev;
  }
  return 0;
}

Result<QueryRequest> ParseQueryParams(const QueryParams& params, TimestampNs now_ns,
                                      std::string* bad_field) {
  QueryRequest req;
  if (params.tags.empty())
    return Fail("tag", InvalidArgument("at least one tag is required"), bad_field);
  for (const std::string& tag : params.tags) {
    if (tag.empty()) return Fail("tag", InvalidArgument("empty tag name"), bad_field);
  }
  req.tags = params.tags;

  if (!params.from.empty()) {
    auto from = ParseTimePoint(params.from, now_ns);
    if (!from.ok()) return Fail("from", from.status(), bad_field);
    req.range.from = *from;
  }
  if (!params.to.empty()) {
    auto to = ParseTimePoint(params.to, now_ns);
    if (!to.ok()) return Fail("to", to.status(), bad_field);
    req.range.to = *to;
  }
  if (req.range.from >= req.range.to) {
    return Fail("to",
                InvalidArgument("the range is empty: 'to' ({}) is not after 'from' ({})", params.to,
                                params.from),
                bad_field);
  }
  if (!params.every.empty()) {
    auto every = ParseDuration(params.every);
    if (!every.ok()) return Fail("every", every.status(), bad_field);
    if (*every <= 0) {
      return Fail("every", InvalidArgument("must be a positive duration: '{}'", params.every),
                  bad_field);
    }
    req.every = *every;
  }
  if (!params.agg.empty()) {
    auto aggs = ParseAggList(params.agg);
    if (!aggs.ok()) return Fail("agg", aggs.status(), bad_field);
    req.aggs = std::move(aggs).value();
  } else if (req.every > 0) {
    req.aggs = {kAggMean};
  }
  if (!params.limit.empty()) {
    auto limit = ParseLimit(params.limit);
    if (!limit.ok()) return Fail("limit", limit.status(), bad_field);
    req.limit = *limit;
  }
  return req;
}

namespace {

// ResolveTags, keeping each tag's TagInfo.
Result<std::vector<TagInfo>> ResolveTagInfos(Storage& storage,
                                             const std::vector<std::string>& patterns) {
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> all, storage.ListTags());
  std::sort(all.begin(), all.end(),
            [](const TagInfo& a, const TagInfo& b) { return a.name < b.name; });

  std::vector<TagInfo> out;
  std::unordered_set<std::string> seen;
  auto add = [&](const TagInfo& info) {
    if (seen.insert(info.name).second) out.push_back(info);
  };
  for (const std::string& pattern : patterns) {
    if (IsGlob(pattern)) {
      bool matched = false;
      for (const TagInfo& info : all) {
        if (GlobMatch(pattern, info.name)) {
          matched = true;
          add(info);
        }
      }
      if (!matched) return NotFound("no tag matches '{}'", pattern);
    } else {
      auto it = std::lower_bound(
          all.begin(), all.end(), pattern,
          [](const TagInfo& info, const std::string& name) { return info.name < name; });
      if (it == all.end() || it->name != pattern) return NotFound("unknown tag '{}'", pattern);
      add(*it);
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> ResolveTags(Storage& storage,
                                             const std::vector<std::string>& patterns) {
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> infos, ResolveTagInfos(storage, patterns));
  std::vector<std::string> names;
  names.reserve(infos.size());
  for (TagInfo& info : infos)
    names.push_back(std::move(info.name));
  return names;
}

namespace {

// The buckets of `tags` as a query asks for them, each tag cut at `limit` buckets.
Status AggregateInto(Storage& storage, const QueryRequest& request, std::span<const TagInfo> tags,
                     size_t limit, QueryResult* result) {
  AggregateQuery q;
  for (const TagInfo& t : tags)
    q.tags.push_back(t.name);
  q.range = request.range;
  q.every = request.every;
  q.aggs = 0;
  for (Agg a : request.aggs)
    q.aggs |= a;
  q.max_buckets = limit == SIZE_MAX ? 0 : limit;
  FH_ASSIGN_OR_RETURN(std::vector<TagBuckets> all, storage.Aggregate(q));
  for (size_t i = 0; i < all.size(); ++i) {
    Series s;
    s.tag = std::move(all[i].tag);
    s.buckets = std::move(all[i].buckets);
    if (q.every == 0 && i < tags.size()) {
      // The whole-range bucket starts where its data does: at `from`, or at the tag's
      // first point when the range is open or starts before it.
      for (Bucket& b : s.buckets)
        b.start = std::max(request.range.from, tags[i].first_ts);
    }
    if (s.buckets.size() > limit) {
      s.buckets.resize(limit);
      s.truncated = true;
    }
    result->series.push_back(std::move(s));
  }
  return Status::Ok();
}

}  // namespace

Result<QueryResult> RunQuery(Storage& storage, const QueryRequest& request) {
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, ResolveTagInfos(storage, request.tags));
  QueryResult result;
  result.every = request.every;
  result.aggs = request.aggs;
  const size_t limit = request.limit > 0 ? static_cast<size_t>(request.limit) : SIZE_MAX;
  // What the answer has room for, all tags together.
  size_t budget = request.max_values > 0 ? static_cast<size_t>(request.max_values) : SIZE_MAX;

  if (request.aggregated()) {
    // Without an answer budget every tag is aggregated at once (in parallel); with one, a
    // group of tags at a time, so that at most one group computes buckets the answer has
    // no room for — and a server back end answers a group in one query, not one a tag.
    if (budget == SIZE_MAX) {
      FH_RETURN_IF_ERROR(AggregateInto(storage, request, tags, limit, &result));
      return result;
    }
    constexpr size_t kTagsPerGroup = 256;
    for (size_t i = 0; i < tags.size(); i += kTagsPerGroup) {
      const size_t n = std::min(kTagsPerGroup, tags.size() - i);
      if (budget == 0) {  // no room left: the tags are not read, and the answer says so
        for (size_t k = i; k < i + n; ++k)
          result.series.push_back(Series{.tag = tags[k].name, .truncated = true});
        continue;
      }
      const size_t first = result.series.size();
      FH_RETURN_IF_ERROR(AggregateInto(storage, request, std::span(tags).subspan(i, n),
                                       std::min(limit, budget), &result));
      for (size_t k = first; k < result.series.size(); ++k) {
        Series& s = result.series[k];
        if (s.buckets.size() > budget) {
          s.buckets.resize(budget);
          s.truncated = true;
        }
        budget -= s.buckets.size();
      }
    }
    return result;
  }

  for (const TagInfo& tag : tags) {
    Series s;
    s.tag = tag.name;
    const size_t cap = std::min(limit, budget);
    // A point arriving once `cap` points are kept means the answer is cut short.
    Status st = storage.Scan(tag.name, request.range,
                             [&](std::span<const TimestampNs> ts, std::span<const double> value,
                                 std::span<const uint32_t> quality) {
                               for (size_t i = 0; i < ts.size(); ++i) {
                                 if (s.points.size() == cap) {
                                   s.truncated = true;
                                   return false;
                                 }
                                 s.points.push_back(Sample{ts[i], value[i], quality[i]});
                               }
                               return true;
                             });
    FH_RETURN_IF_ERROR(st);
    budget -= s.points.size();
    result.series.push_back(std::move(s));
  }
  return result;
}

Result<QueryResult> RunHubQuery(Hub& hub, const QueryRequest& request) {
  QueryRequest numeric = request;
  std::vector<TextSeries> texts;
  {
    CatalogSession session = hub.OpenCatalog();
    TextSampleStore& store = session.text_samples();
    FH_ASSIGN_OR_RETURN(TagPatternSplit split,
                        SplitTagPatterns(hub.storage(), store, request.tags));
    numeric.tags = std::move(split.numeric_patterns);
    for (const std::string& tag : split.text_tags) {
      TextSeries s{tag, {}, false};
      if (!request.aggregated()) {
        // One more than the limit says whether it cut the answer short.
        FH_ASSIGN_OR_RETURN(
            s.values, store.Read(tag, request.range, request.limit > 0 ? request.limit + 1 : 0));
        if (request.limit > 0 && static_cast<int64_t>(s.values.size()) > request.limit) {
          s.values.resize(static_cast<size_t>(request.limit));
          s.truncated = true;
        }
      }
      texts.push_back(std::move(s));
    }
  }
  QueryResult result;
  if (!numeric.tags.empty()) {
    FH_ASSIGN_OR_RETURN(result, RunQuery(hub.storage(), numeric));
  } else {
    result.every = numeric.every;
    result.aggs = numeric.aggs;
  }
  if (request.aggregated()) {
    for (const TextSeries& s : texts)
      result.not_aggregated.push_back(s.tag);
  } else {
    result.texts = std::move(texts);
  }
  return result;
}

Result<std::vector<LatestValue>> RunLatest(Storage& storage,
                                           const std::vector<std::string>& patterns) {
  FH_ASSIGN_OR_RETURN(std::vector<std::string> tags, ResolveTags(storage, patterns));
  std::vector<LatestValue> out;
  out.reserve(tags.size());
  for (std::string& tag : tags) {
    FH_ASSIGN_OR_RETURN(std::optional<Sample> sample, storage.Latest(tag));
    out.push_back(LatestValue{std::move(tag), sample});
  }
  return out;
}

}  // namespace fh::analytics
