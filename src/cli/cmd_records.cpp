// factoryhub records ENTITY [KEY] [--where NAME OP VALUE]...: stored records of the canonical
// model, every field and custom attribute, personal ones masked.
#include <algorithm>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "store/governance/governance_store.h"
#include "store/records/record_query.h"

namespace fh::cli {
namespace {

struct RecordsCli {
  std::string hub;
  std::string entity;
  std::string key;
  std::vector<std::string> where;
  int64_t limit = 100;
  bool unmasked = false;
  bool json = false;
  bool csv = false;
};

// One row per record: id, key, the entity's fields, then every attribute any of them has.
void PrintCsv(const std::vector<StoredRecord>& records) {
  std::vector<std::string> attributes;
  for (const StoredRecord& r : records) {
    for (const Attribute& a : r.attributes) {
      if (std::find(attributes.begin(), attributes.end(), a.name) == attributes.end())
        attributes.push_back(a.name);
    }
  }
  std::sort(attributes.begin(), attributes.end());
  std::string out = "id,key";
  if (!records.empty()) {
    for (const auto& [name, value] : records.front().fields)
      out += "," + CsvCell(name);
  }
  for (const std::string& a : attributes)
    out += "," + CsvCell(a);
  out += "\n";
  for (const StoredRecord& r : records) {
    out += std::to_string(r.id) + "," + CsvCell(r.key);
    for (const auto& [name, value] : r.fields)
      out += "," + CsvCell(value.value_or(""));
    for (const std::string& name : attributes) {
      const auto it = std::find_if(r.attributes.begin(), r.attributes.end(),
                                   [&](const Attribute& a) { return a.name == name; });
      out += "," + (it == r.attributes.end() ? std::string() : CsvCell(AttributeText(*it)));
    }
    out += "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

Status RunRecords(const RecordsCli& o) {
  const govern::EntityDef* entity = govern::FindEntity(o.entity);
  if (!entity || entity->name == "crosswalk") {
    return InvalidArgument("unknown entity '{}' (one of: {})", o.entity, govern::EntityNames());
  }
  std::vector<RecordCondition> conditions;
  if (!o.key.empty()) {
    if (entity->ref_key.empty()) {
      return InvalidArgument("{} records have no readable key: select them with --where", o.entity);
    }
    conditions.push_back({std::string(entity->ref_key), "=", o.key});
  }
  for (const std::string& w : o.where) {
    FH_ASSIGN_OR_RETURN(RecordCondition c, ParseRecordCondition(w));
    conditions.push_back(std::move(c));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::vector<StoredRecord> records,
                      session.records().Find(*entity, conditions, o.limit));
  if (!o.unmasked) {
    FH_RETURN_IF_ERROR(session.records().MaskPersonal(*entity, records));
  }
  int64_t total = static_cast<int64_t>(records.size());
  if (total == o.limit) {
    FH_ASSIGN_OR_RETURN(total, session.records().Count(*entity, conditions));
  }
  if (total > static_cast<int64_t>(records.size())) {
    fmt::print(stderr, "The first {} of {} records; --limit N shows more.\n", records.size(),
               total);
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StoredRecord& r : records)
      list.push_back(StoredRecordJson(r));
    PrintJson(list);
    return Status::Ok();
  }
  if (o.csv) {
    PrintCsv(records);
    return Status::Ok();
  }
  if (records.empty()) {
    fmt::print("No {} records{}.\n", o.entity, conditions.empty() ? "" : " match");
    return Status::Ok();
  }
  for (const StoredRecord& r : records) {
    std::vector<std::pair<std::string, std::string>> rows;
    rows.emplace_back("record", fmt::format("{} {} (id {})", o.entity, r.key, r.id));
    for (const auto& [name, value] : r.fields) {
      if (value) rows.emplace_back("  " + name, *value);
    }
    for (const Attribute& a : r.attributes)
      rows.emplace_back("  " + a.name + " (attribute)", AttributeText(a));
    PrintKeyValues(rows);
    fmt::print("\n");
  }
  return Status::Ok();
}

}  // namespace

Command RegisterRecords(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "records",
      "Stored records of an entity: every field and custom attribute, by key or --where");
  auto o = std::make_shared<RecordsCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("ENTITY", o->entity, "material, customer, work_order, ... (docs/model.md)")
      ->required();
  sub->add_option("KEY", o->key, "Only the record with this key (code, number, path)");
  sub->add_option("--where", o->where,
                  "NAME OP VALUE on a field or attribute, OP one of = != < <= > >= (repeat: all "
                  "must hold)");
  sub->add_option("--limit", o->limit, "At most this many (default 100)");
  sub->add_flag("--unmasked", o->unmasked,
                "Show personal fields and attributes (a mapping's personal: true) as stored");
  AddJsonOption(sub, &o->json);
  sub->add_flag("--csv", o->csv, "CSV: id, key, the fields, then every attribute")
      ->excludes("--json");
  sub->footer(
      "Examples:\n"
      "  factoryhub records --hub plant material M-100\n"
      "  factoryhub records --hub plant material --where standard_cost>=10 --where "
      "kind=product\n"
      "  factoryhub records --hub plant customer --where email=li@acme.cn --json");
  return {sub, [o]() { return RunRecords(*o); }};
}

}  // namespace fh::cli
