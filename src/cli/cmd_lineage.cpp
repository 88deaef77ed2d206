// factoryhub lineage ENTITY KEY: where a stored record came from (source system, file,
// line, mapping version, batch) and its ids in other systems.
// factoryhub lineage sample TAG --at TIME: the batches that stored the tag's points around
// that time (the series' lineage is kept per batch and tag, not per point).
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "model/entity.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/records/entity_writer.h"
#include "store/storage.h"

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
  std::optional<Sample> point;
  const Status scanned =
      hub->storage().Scan(o.key, TimeRange{at, at + 1},
                          [&](std::span<const TimestampNs> ts, std::span<const double> value,
                              std::span<const uint32_t> quality) {
                            if (!ts.empty()) point = Sample{ts[0], value[0], quality[0]};
                            return false;
                          });
  if (!scanned.ok() && scanned.code() != StatusCode::kNotFound) return scanned;
  CatalogSession session = hub->OpenCatalog();
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(std::vector<SeriesLineage> spans, catalog.FindSeriesLineage(o.key, at));
  std::vector<IngestBatch> batches;
  for (const SeriesLineage& s : spans) {
    FH_ASSIGN_OR_RETURN(IngestBatch b, catalog.GetBatch(s.batch_id));
    batches.push_back(std::move(b));
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (size_t i = 0; i < spans.size(); ++i) {
      const SeriesLineage& s = spans[i];
      const IngestBatch& b = batches[i];
      list.push_back(
          {{"batch", s.batch_id},
           {"source_system", b.source_system},
           {"source_object", b.source_object},
           {"mapping_version", b.mapping_version},
           {"first_line", s.first_line ? nlohmann::ordered_json(*s.first_line) : nullptr},
           {"last_line", s.last_line ? nlohmann::ordered_json(*s.last_line) : nullptr},
           {"from", FormatRfc3339(s.first_ts)},
           {"to", FormatRfc3339(s.last_ts)},
           {"samples", s.samples},
           {"imported_at", FormatRfc3339(b.started_at)}});
    }
    nlohmann::ordered_json doc = {{"tag", o.key}, {"at", FormatRfc3339(at)}};
    doc["value"] = point ? nlohmann::ordered_json(point->value) : nullptr;
    doc["quality"] = point ? nlohmann::ordered_json(point->quality) : nullptr;
    doc["batches"] = std::move(list);
    PrintJson(doc);
    return Status::Ok();
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"tag", o.key},
      {"time", FormatRfc3339(at)},
      {"stored point",
       point ? fmt::format("{} (quality {})", FormatValue(point->value), point->quality)
             : "none at this time"}};
  if (spans.empty()) rows.emplace_back("batches", "none of the hub's imports spans this time");
  for (size_t i = 0; i < spans.size(); ++i) {
    const SeriesLineage& s = spans[i];
    const IngestBatch& b = batches[i];
    const std::string lines = !s.first_line ? std::string()
                              : s.first_line == s.last_line
                                  ? fmt::format(", line {}", *s.first_line)
                                  : fmt::format(", lines {}-{}", *s.first_line, *s.last_line);
    rows.emplace_back(i == 0 ? "batch" : "earlier batch",
                      fmt::format("{}: {} {}{}, {}; {} points {} .. {}", s.batch_id,
                                  b.source_system, b.source_object, lines, b.mapping_version,
                                  s.samples, FormatRfc3339(s.first_ts), FormatRfc3339(s.last_ts)));
  }
  PrintKeyValues(rows);
  return Status::Ok();
}

// NotFound for a record that is not stored, saying where it is when an import quarantined
// it (the usual reason a record someone expects is missing).
Status NotStored(GovernanceStore& gov, const std::string& entity, const std::string& key) {
  FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> open, gov.FindOpenByKey(entity, key));
  if (open.empty()) return NotFound("no {} '{}' is stored", entity, key);
  const QuarantinedRecord& q = open.front();
  std::string why;
  for (const govern::Violation& v : q.reasons) {
    why += fmt::format("{}{}{}: {}", why.empty() ? "" : "; ", v.rule,
                       v.field.empty() ? "" : " " + v.field, v.message);
  }
  return NotFound(
      "no {} '{}' is stored: it is in quarantine (id {}, batch {}, {}{}): {}; see factoryhub "
      "quarantine show {}{}",
      entity, key, q.id, q.batch_id, q.source_object,
      q.source_line ? fmt::format(" line {}", *q.source_line) : "", why, q.id,
      open.size() > 1 ? fmt::format(" ({} open entries have this key)", open.size()) : "");
}

Status RunLineage(const LineageCli& o) {
  if (o.entity == "sample") return RunSampleLineage(o);
  if (!o.at.empty()) return InvalidArgument("--at is for samples: lineage sample TAG --at TIME");
  FH_ASSIGN_OR_RETURN(EntityKind kind, ParseEntityKind(o.entity));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  Catalog& catalog = session.catalog();
  int64_t id = 0;
  const govern::EntityDef* def = govern::FindEntity(o.entity);
  if (o.by_id || !def || def->ref_key.empty()) {
    char* end = nullptr;
    id = std::strtoll(o.key.c_str(), &end, 10);
    if (o.key.empty() || *end != '\0') {
      return InvalidArgument("{} records have no readable key: give the numeric id", o.entity);
    }
  } else {
    RefResolver& refs = session.refs();
    FH_ASSIGN_OR_RETURN(std::optional<int64_t> found, refs.Find(o.entity, o.key));
    if (!found) return NotStored(session.governance(), o.entity, o.key);
    id = *found;
  }
  FH_ASSIGN_OR_RETURN(Lineage lineage, catalog.GetLineage(kind, id));
  std::optional<IngestBatch> batch;
  if (lineage.batch_id) {
    Result<IngestBatch> b = catalog.GetBatch(*lineage.batch_id);
    if (b.ok()) batch = *b;
  }
  FH_ASSIGN_OR_RETURN(std::vector<ExternalId> external, catalog.ListExternalIds(kind, id));
  if (o.json) {
    nlohmann::ordered_json ext = nlohmann::ordered_json::array();
    for (const ExternalId& x : external) {
      ext.push_back({{"source_system", x.source_system}, {"external_id", x.external_id}});
    }
    nlohmann::ordered_json doc = {
        {"entity", o.entity},
        {"id", id},
        {"key", o.key},
        {"source_system", lineage.source_system},
        {"source_object", lineage.source_object},
        {"line", lineage.source_line ? nlohmann::ordered_json(*lineage.source_line) : nullptr},
        {"mapping_version", lineage.mapping_version},
        {"batch", lineage.batch_id ? nlohmann::ordered_json(*lineage.batch_id) : nullptr},
        {"external_ids", ext}};
    if (batch) {
      doc["batch_started_at"] = FormatRfc3339(batch->started_at);
      doc["batch_status"] = std::string(ToString(batch->status));
    }
    PrintJson(doc);
    return Status::Ok();
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"record", fmt::format("{} {} (id {})", o.entity, o.key, id)},
      {"source system", lineage.source_system.empty() ? "(unknown)" : lineage.source_system},
      {"source object", lineage.source_object},
      {"line", lineage.source_line ? std::to_string(*lineage.source_line) : ""},
      {"mapping", lineage.mapping_version},
      {"batch", lineage.batch_id ? std::to_string(*lineage.batch_id) : ""}};
  if (batch) {
    rows.emplace_back("imported at", FormatRfc3339(batch->started_at));
  }
  for (const ExternalId& x : external) {
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
