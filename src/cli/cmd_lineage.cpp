// factoryhub lineage ENTITY KEY: where a stored record came from (source system, file,
// line, mapping version, batch) and its ids in other systems.
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "importer/entity_writer.h"
#include "model/entity.h"
#include "store/catalog/catalog.h"

namespace fh::cli {
namespace {

struct LineageCli {
  std::string hub;
  std::string entity;
  std::string key;
  bool by_id = false;
  bool json = false;
};

Status RunLineage(const LineageCli& o) {
  FH_ASSIGN_OR_RETURN(EntityKind kind, ParseEntityKind(o.entity));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  std::lock_guard<std::mutex> lock(hub->catalog_mutex());
  Catalog catalog(hub->catalog_db());
  int64_t id = 0;
  const govern::EntityDef* def = govern::FindEntity(o.entity);
  if (o.by_id || !def || def->ref_key.empty()) {
    char* end = nullptr;
    id = std::strtoll(o.key.c_str(), &end, 10);
    if (o.key.empty() || *end != '\0') {
      return InvalidArgument("{} records have no readable key: give the numeric id", o.entity);
    }
  } else {
    importer::RefResolver refs(hub->catalog_db());
    FH_ASSIGN_OR_RETURN(std::optional<int64_t> found, refs.Find(o.entity, o.key));
    if (!found) return NotFound("no {} '{}' is stored", o.entity, o.key);
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
  sub->add_option("ENTITY", o->entity, "material, customer, work_order, ... (docs/model.md)")
      ->required();
  sub->add_option("KEY", o->key, "Its key (code, number, path, name), or its id with --id")
      ->required();
  sub->add_flag("--id", o->by_id, "KEY is the record's numeric id");
  AddJsonOption(sub, &o->json);
  sub->footer("Example:\n  factoryhub lineage --hub plant material M-100");
  return {sub, [o] { return RunLineage(*o); }};
}

}  // namespace fh::cli
