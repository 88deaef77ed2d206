// factoryhub query --hub DIR --tag NAME... [--from T] [--to T] [--every D] [--agg LIST]
//                  [--limit N] [--json]
// Semantics and JSON are shared with GET /api/v1/query (api/query.h, api/json_encode.h).
// Tags holding text values (line protocol's string fields, store/catalog/text_samples.h)
// show them as raw points; aggregates skip them and say so.
#include <nlohmann/json.hpp>

#include <mutex>

#include "api/json_encode.h"
#include "api/query.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "store/catalog/text_samples.h"

namespace fh::cli {
namespace {

struct QueryOptions {
  std::string hub;
  api::QueryParams params;
  bool json = false;
  api::QueryRequest request;  // parsed from params while the command line is parsed
};

// Aggregates (a mean of many points) print with 10 significant digits, so float noise
// such as 21.533333333333335 does not drown the table; --json keeps every digit.
std::string FormatAggregate(double v) {
  std::string exact = FormatValue(v);
  return exact.size() <= 12 ? exact : fmt::format("{:.10g}", v);
}

// A tag's text values, as a raw query returns them.
struct TextSeries {
  std::string tag;
  std::vector<TextSample> values;
  bool truncated = false;
};

void PrintRaw(const api::QueryResult& result, const std::vector<TextSeries>& texts) {
  const bool many = result.series.size() + texts.size() > 1;
  std::vector<Table::Column> cols;
  if (many) cols.push_back({"tag"});
  cols.push_back({"time"});
  cols.push_back({"value", true});
  cols.push_back({"quality", true});
  Table table(std::move(cols));
  for (const api::Series& s : result.series) {
    for (const Sample& p : s.points) {
      std::vector<std::string> row;
      if (many) row.push_back(s.tag);
      row.push_back(FormatRfc3339(p.ts));
      row.push_back(FormatValue(p.value));
      row.push_back(std::to_string(p.quality));
      table.AddRow(std::move(row));
    }
  }
  for (const TextSeries& s : texts) {
    for (const TextSample& t : s.values) {
      std::vector<std::string> row;
      if (many) row.push_back(s.tag);
      row.push_back(FormatRfc3339(t.ts));
      row.push_back(t.value);
      row.push_back("");  // text values have no quality
      table.AddRow(std::move(row));
    }
  }
  table.Print();
}

// The query's JSON with the text series appended to "series":
// {"tag": ..., "type": "text", "points": [[time, "text"], ...], "truncated": ...}.
std::string WithTexts(const std::string& json, const std::vector<TextSeries>& texts) {
  if (texts.empty()) return json;
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(json);
  for (const TextSeries& s : texts) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const TextSample& t : s.values)
      points.push_back({FormatRfc3339(t.ts), t.value});
    doc["series"].push_back(
        {{"tag", s.tag}, {"type", "text"}, {"points", points}, {"truncated", s.truncated}});
  }
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void PrintBuckets(const api::QueryResult& result) {
  const bool many = result.series.size() > 1;
  std::vector<Table::Column> cols;
  if (many) cols.push_back({"tag"});
  cols.push_back({result.every > 0 ? "start" : "from"});
  for (Agg agg : result.aggs)
    cols.push_back({std::string(api::AggName(agg)), true});
  Table table(std::move(cols));
  for (const api::Series& s : result.series) {
    for (const Bucket& b : s.buckets) {
      std::vector<std::string> row;
      if (many) row.push_back(s.tag);
      row.push_back(FormatRfc3339(b.start));
      for (Agg agg : result.aggs) {
        if (agg == kAggCount) {
          row.push_back(std::to_string(b.count));
        } else if (agg == kAggMean || agg == kAggStddev) {
          row.push_back(FormatAggregate(api::AggValue(b, agg)));
        } else {
          row.push_back(FormatValue(api::AggValue(b, agg)));
        }
      }
      table.AddRow(std::move(row));
    }
  }
  table.Print();
}

// Splits the request between the stores (SplitTagPatterns) and reads the text tags' values
// (none for an aggregate query: they are not aggregated).
Status SplitTextTags(Hub& hub, const api::QueryRequest& request, api::QueryRequest* numeric,
                     std::vector<TextSeries>* texts) {
  *numeric = request;
  std::lock_guard<std::mutex> lock(hub.catalog_mutex());
  TextSampleStore store(hub.catalog_db());
  FH_ASSIGN_OR_RETURN(TagPatternSplit split, SplitTagPatterns(hub.storage(), store, request.tags));
  numeric->tags = std::move(split.numeric_patterns);
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
    texts->push_back(std::move(s));
  }
  return Status::Ok();
}

Status RunQuery(const QueryOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  api::QueryRequest numeric;
  std::vector<TextSeries> texts;
  FH_RETURN_IF_ERROR(SplitTextTags(*hub, opts.request, &numeric, &texts));
  api::QueryResult result;
  if (!numeric.tags.empty()) {
    FH_ASSIGN_OR_RETURN(result, api::RunQuery(hub->storage(), numeric));
  } else {
    result.every = numeric.every;
    result.aggs = numeric.aggs;
  }
  std::vector<std::string> not_aggregated;  // said after the answer
  if (opts.request.aggregated()) {
    for (const TextSeries& s : texts)
      not_aggregated.push_back(fmt::format("{}: text values are not aggregated", s.tag));
    texts.clear();
  }
  if (opts.json) {
    PrintJsonText(WithTexts(api::QueryResultJson(result), texts));
    for (const std::string& note : not_aggregated)
      PrintNote(note);
    return Status::Ok();
  }
  bool any = false;
  for (const api::Series& s : result.series)
    any |= !s.points.empty() || !s.buckets.empty();
  for (const TextSeries& s : texts)
    any |= !s.values.empty();
  if (!any) {
    PrintNote("no points in the range");
    for (const std::string& note : not_aggregated)
      PrintNote(note);
    return Status::Ok();
  }
  if (result.aggs.empty()) {
    PrintRaw(result, texts);
  } else {
    PrintBuckets(result);
  }
  for (const std::string& note : not_aggregated)
    PrintNote(note);
  for (const TextSeries& s : texts) {
    if (s.truncated) {
      PrintNote(
          fmt::format("{}: showing the first {} text values (--limit)", s.tag, opts.request.limit));
    }
  }
  for (const api::Series& s : result.series) {
    if (s.truncated) {
      PrintNote(fmt::format("{}: showing the first {} {} (--limit)", s.tag, opts.request.limit,
                            result.aggs.empty() ? "points" : "buckets"));
    }
  }
  return Status::Ok();
}

}  // namespace

Command RegisterQuery(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("query", "Read raw points or bucket aggregates of tags");
  auto opts = std::make_shared<QueryOptions>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("--tag", opts->params.tags,
                  "Tag name or glob ('line-1.*', '*'; quote it from the shell); repeatable")
      ->required()
      ->type_name("NAME");
  sub->add_option("--from", opts->params.from,
                  "Start of the range, inclusive: RFC 3339, a date, now-1h, or epoch seconds")
      ->type_name("TIME");
  sub->add_option("--to", opts->params.to, "End of the range, exclusive (default: no end)")
      ->type_name("TIME");
  sub->add_option("--every", opts->params.every,
                  "Aggregate per bucket of this width, aligned to the epoch (1m, 15s, 1h)")
      ->type_name("DURATION");
  sub->add_option("--agg", opts->params.agg,
                  "Aggregates: mean,min,max,count,first,last,stddev,sum (default with --every: "
                  "mean; without --every: one bucket for the whole range)")
      ->type_name("LIST");
  sub->add_option("--limit", opts->params.limit, "Most points (or buckets) per tag")
      ->type_name("N");
  AddJsonOption(sub, &opts->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub query --hub plant --tag line-1.press-01.temperature --from now-1h\n"
      "  factoryhub query --hub plant --tag 'line-1.*' --every 1m --agg mean,max --from now-1h\n"
      "  factoryhub query --hub plant --tag '*' --agg count,min,max --json");
  // Check every flag while parsing, so a bad one is a usage error (exit 2).
  sub->callback([opts] {
    std::string field;
    Result<api::QueryRequest> req = api::ParseQueryParams(opts->params, NowNs(), &field);
    if (!req.ok()) {
      throw CLI::ValidationError("--" + field, req.status().message());
    }
    opts->request = std::move(req).value();
  });
  return {sub, [opts] { return RunQuery(*opts); }};
}

}  // namespace fh::cli
