// factoryhub lineage ENTITY KEY: where a stored record came from (source system, file,
// line, mapping version, batch) and its ids in other systems.
// factoryhub lineage sample TAG --at TIME: the batches that stored the tag's points around
// that time (the series' lineage is kept per batch and tag, not per point).
#include "api/lineage_json.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct LineageCli {
  std::string hub;
  std::string entity;
  std::string key;
  bool by_id = false;
  std::string at;  // for samples
  bool json = false;
};

// The batches whose points of the tag span the time, newest first, and the stored point.
Status RunSampleLineage(const LineageCli& o) {
  if (o.at.empty()) return InvalidArgument("lineage of a sample needs --at TIME");
  FH_ASSIGN_OR_RETURN(const int64_t at, ParseTimePoint(o.at, NowNs()));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const api::SampleLineage s, api::FindSampleLineage(*hub, o.key, at));
  if (o.json) {
    PrintJson(api::SampleLineageJson(s));
    return Status::Ok();
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"tag", o.key},
      {"time", FormatRfc3339(at)},
      {"stored point",
       s.point ? fmt::format("{} (quality {})", FormatValue(s.point->value), s.point->quality)
               : "none at this time"}};
  if (s.spans.empty()) rows.emplace_back("batches", "none of the hub's imports spans this time");
  for (size_t i = 0; i < s.spans.size(); ++i) {
    const SeriesLineage& span = s.spans[i];
    const IngestBatch& b = s.batches[i];
    const std::string lines = !span.first_line ? std::string()
                              : span.first_line == span.last_line
                                  ? fmt::format(", line {}", *span.first_line)
                                  : fmt::format(", lines {}-{}", *span.first_line, *span.last_line);
    rows.emplace_back(
        i == 0 ? "batch" : "earlier batch",
        fmt::format("{}: {} {}{}, {}; {} points {} .. {}", span.batch_id, b.source_system,
                    b.source_object, lines, b.mapping_version, span.samples,
                    FormatRfc3339(span.first_ts), FormatRfc3339(span.last_ts)));
  }
  PrintKeyValues(rows);
  return Status::Ok();
}

Status RunLineage(const LineageCli& o) {
  if (o.entity == "sample") return RunSampleLineage(o);
  if (!o.at.empty()) return InvalidArgument("--at is for samples: lineage sample TAG --at TIME");
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(const api::RecordLineage r,
                      api::FindRecordLineage(session, o.entity, o.key, o.by_id));
  if (o.json) {
    PrintJson(api::RecordLineageJson(r));
    return Status::Ok();
  }
  const Lineage& lineage = r.lineage;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"record", fmt::format("{} {} (id {})", o.entity, o.key, r.id)},
      {"source system", lineage.source_system.empty() ? "(unknown)" : lineage.source_system},
      {"source object", lineage.source_object},
      {"line", lineage.source_line ? std::to_string(*lineage.source_line) : ""},
      {"mapping", lineage.mapping_version},
      {"batch", lineage.batch_id ? std::to_string(*lineage.batch_id) : ""}};
  if (r.batch) rows.emplace_back("imported at", FormatRfc3339(r.batch->started_at));
  for (const ExternalId& x : r.external) {
    rows.emplace_back("id in " + x.source_system, x.external_id);
  }
  PrintKeyValues(rows);
  return Status::Ok();
}

}  // namespace

Command RegisterLineage(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "lineage", "Where a stored record came from: source, file, line, mapping version, batch");
  auto o = std::make_shared<LineageCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("ENTITY", o->entity,
                  "material, customer, work_order, ... (docs/model.md), or sample")
      ->required();
  sub->add_option("KEY", o->key,
                  "Its key (code, number, path, name), its id with --id, or a sample's tag")
      ->required();
  sub->add_flag("--id", o->by_id, "KEY is the record's numeric id");
  sub->add_option("--at", o->at, "A sample's time: RFC 3339, a date, now-15m or epoch seconds");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n  factoryhub lineage --hub plant material M-100\n"
      "  factoryhub lineage --hub plant sample ai4i.M.temperature_air --at "
      "2020-01-01T00:01:00Z");
  return {sub, [o] { return RunLineage(*o); }};
}

}  // namespace fh::cli
