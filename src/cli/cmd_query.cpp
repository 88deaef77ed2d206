// factoryhub query --hub DIR --tag NAME... [--from T] [--to T] [--every D] [--agg LIST]
//                  [--limit N] [--json]
// Semantics and JSON are shared with GET /api/v1/query (analytics/query.h, api/json_encode.h).
// Tags holding text values (line protocol's string fields, store/catalog/text_samples.h)
// show them as raw points; aggregates skip them and say so.

#include "analytics/query.h"
#include "api/json_encode.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct QueryOptions {
  std::string hub;
  analytics::QueryParams params;
  bool json = false;
  analytics::QueryRequest request;  // parsed from params while the command line is parsed
};

// Aggregates (a mean of many points) print with 10 significant digits, so float noise
// such as 21.533333333333335 does not drown the table; --json keeps every digit.
std::string FormatAggregate(double v) {
  std::string exact = FormatValue(v);
  return exact.size() <= 12 ? exact : fmt::format("{:.10g}", v);
}

void PrintRaw(const analytics::QueryResult& result) {
  const std::vector<analytics::TextSeries>& texts = result.texts;
  const bool many = result.series.size() + texts.size() > 1;
  std::vector<Table::Column> cols;
  if (many) cols.push_back({"tag"});
  cols.push_back({"time"});
  cols.push_back({"value", true});
  cols.push_back({"quality", true});
  Table table(std::move(cols));
  for (const analytics::Series& s : result.series) {
    for (const Sample& p : s.points) {
      std::vector<std::string> row;
      if (many) row.push_back(s.tag);
      row.push_back(FormatRfc3339(p.ts));
      row.push_back(FormatValue(p.value));
      row.push_back(std::to_string(p.quality));
      table.AddRow(std::move(row));
    }
  }
  for (const analytics::TextSeries& s : texts) {
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

void PrintBuckets(const analytics::QueryResult& result) {
  const bool many = result.series.size() > 1;
  std::vector<Table::Column> cols;
  if (many) cols.push_back({"tag"});
  cols.push_back({result.every > 0 ? "start" : "from"});
  for (Agg agg : result.aggs)
    cols.push_back({std::string(analytics::AggName(agg)), true});
  Table table(std::move(cols));
  for (const analytics::Series& s : result.series) {
    for (const Bucket& b : s.buckets) {
      std::vector<std::string> row;
      if (many) row.push_back(s.tag);
      row.push_back(FormatRfc3339(b.start));
      for (Agg agg : result.aggs) {
        if (agg == kAggCount) {
          row.push_back(std::to_string(b.count));
        } else if (agg == kAggMean || agg == kAggStddev) {
          row.push_back(FormatAggregate(analytics::AggValue(b, agg)));
        } else {
          row.push_back(FormatValue(analytics::AggValue(b, agg)));
        }
      }
      table.AddRow(std::move(row));
    }
  }
  table.Print();
}

// Splits the request between the stores (SplitTagPatterns) and reads the text tags' values
// (none for an aggregate query: they are not aggregated).
Status RunQuery(const QueryOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  FH_ASSIGN_OR_RETURN(analytics::QueryResult result, analytics::RunHubQuery(*hub, opts.request));
  std::vector<std::string> not_aggregated;  // said after the answer
  for (const std::string& tag : result.not_aggregated)
    not_aggregated.push_back(fmt::format("{}: text values are not aggregated", tag));
  if (opts.json) {
    PrintJsonText(api::QueryResultJson(result));
    for (const std::string& note : not_aggregated)
      PrintNote(note);
    return Status::Ok();
  }
  bool any = false;
  for (const analytics::Series& s : result.series)
    any |= !s.points.empty() || !s.buckets.empty();
  for (const analytics::TextSeries& s : result.texts)
    any |= !s.values.empty();
  if (!any) {
    PrintNote("no points in the range");
    for (const std::string& note : not_aggregated)
      PrintNote(note);
    return Status::Ok();
  }
  if (result.aggs.empty()) {
    PrintRaw(result);
  } else {
    PrintBuckets(result);
  }
  for (const std::string& note : not_aggregated)
    PrintNote(note);
  for (const analytics::TextSeries& s : result.texts) {
    if (s.truncated) {
      PrintNote(
          fmt::format("{}: showing the first {} text values (--limit)", s.tag, opts.request.limit));
    }
  }
  for (const analytics::Series& s : result.series) {
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
    Result<analytics::QueryRequest> req =
        analytics::ParseQueryParams(opts->params, NowNs(), &field);
    if (!req.ok()) {
      throw CLI::ValidationError("--" + field, req.status().message());
    }
    opts->request = std::move(req).value();
  });
  return {sub, [opts] { return RunQuery(*opts); }};
}

}  // namespace fh::cli
