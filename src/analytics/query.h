// Time-series queries as the CLI (`factoryhub query`, `latest`) and the HTTP API
// (`/api/v1/query`, `/api/v1/latest`) both offer them: one parser and one executor, so the
// two edges cannot drift apart.
//
// A query names tags (literal names or globs), an optional time range, and either nothing
// more (raw points) or aggregates: `every` gives epoch-aligned buckets of that width, and
// aggregates without `every` give one bucket for the whole range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "model/text_sample.h"
#include "store/hub.h"
#include "store/storage.h"

namespace fh::analytics {

// Aggregate names as users write them: count, mean, min, max, sum, first, last, stddev.
std::string_view AggName(Agg agg);
// Parses a comma-separated list ("mean,max"); keeps the order given and drops repeats.
// InvalidArgument naming the unknown entry and listing the valid ones.
Result<std::vector<Agg>> ParseAggList(std::string_view text);

// The parameters as text, exactly as given on the command line or in the URL. An empty
// string means "not given".
struct QueryParams {
  std::vector<std::string> tags;  // names or globs; at least one
  std::string from;               // RFC 3339, now[±duration], or epoch seconds
  std::string to;
  std::string every;  // duration ("1m", "15s"); aggregates per bucket of this width
  std::string agg;    // aggregate list; default "mean" when `every` is given
  std::string limit;  // most points (or buckets) returned per tag; default: all
};

struct QueryRequest {
  std::vector<std::string> tags;  // names or globs, as given
  TimeRange range;                // [from, to)
  int64_t every = 0;              // bucket width in ns; 0 = one bucket (when aggregating)
  std::vector<Agg> aggs;          // empty = raw points
  int64_t limit = 0;              // per tag; 0 = unlimited
  // Points or buckets in the whole answer, all tags together; 0 = unlimited. Past it the
  // answer is cut (the series marked truncated), and so is the work: tags are then read
  // one after another, each stopping where the answer's budget ends.
  int64_t max_values = 0;

  bool aggregated() const { return !aggs.empty(); }
};

// Parses and checks every parameter; relative times ("now-1h") are taken against now_ns.
// On error returns InvalidArgument and sets *bad_field to the parameter at fault ("from",
// "to", "every", "agg", "limit", "tag") so each edge can name it its own way.
Result<QueryRequest> ParseQueryParams(const QueryParams& params, TimestampNs now_ns,
                                      std::string* bad_field);

// Expands globs against the stored tags (sorted by name) and checks literal names exist.
// The result keeps the order given, without repeats. NotFound for an unknown literal tag
// or a glob that matches nothing.
Result<std::vector<std::string>> ResolveTags(Storage& storage,
                                             const std::vector<std::string>& patterns);

struct Series {
  std::string tag;
  std::vector<Sample> points;   // raw queries
  std::vector<Bucket> buckets;  // aggregate queries
  bool truncated = false;       // the limit cut the answer short
};

// A tag's text values (line protocol's string fields, store/catalog/text_samples.h), as a
// raw query returns them.
struct TextSeries {
  std::string tag;
  std::vector<TextSample> values;
  bool truncated = false;
};

struct QueryResult {
  int64_t every = 0;
  std::vector<Agg> aggs;  // empty for raw points
  std::vector<Series> series;
  std::vector<TextSeries> texts;  // raw queries of tags holding text values
  // Aggregate queries: the text tags named, which were not aggregated.
  std::vector<std::string> not_aggregated;
};

// The numeric store's points or buckets only.
Result<QueryResult> RunQuery(Storage& storage, const QueryRequest& request);
// The hub's: numeric tags through RunQuery, text tags from the text store (raw queries
// return their values; aggregates name them in not_aggregated). Opens a CatalogSession
// for the text store.
Result<QueryResult> RunHubQuery(Hub& hub, const QueryRequest& request);

struct LatestValue {
  std::string tag;
  std::optional<Sample> sample;  // empty if the tag has no points
};

// The newest point of each tag (patterns resolved as in ResolveTags).
Result<std::vector<LatestValue>> RunLatest(Storage& storage,
                                           const std::vector<std::string>& patterns);

// The value of one aggregate in a bucket (count as a double).
double AggValue(const Bucket& bucket, Agg agg);

}  // namespace fh::analytics
