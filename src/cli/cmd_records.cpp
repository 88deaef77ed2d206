// factoryhub records ENTITY [KEY] [--where NAME OP VALUE]...: stored records of the canonical
// model, every field and custom attribute, personal ones masked.
#include <algorithm>

#include "cli/command.h"
#include "cli/output.h"
#include "common/personal_mask.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "importer/governance_store.h"
#include "importer/record_query.h"

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
};

std::string AttributeText(const Attribute& a) {
  if (const auto* text = std::get_if<std::string>(&a.value)) return *text;
  if (const auto* number = std::get_if<double>(&a.value)) return FormatValue(*number);
  if (const auto* integer = std::get_if<int64_t>(&a.value)) {
    if (a.type == AttributeType::kTime) return FormatRfc3339(*integer);
    if (a.type == AttributeType::kBool) return *integer ? "true" : "false";
    return std::to_string(*integer);
  }
  return "";
}

nlohmann::ordered_json AttributeJson(const Attribute& a) {
  if (const auto* number = std::get_if<double>(&a.value)) return *number;
  if (const auto* integer = std::get_if<int64_t>(&a.value)) {
    if (a.type == AttributeType::kInt) return *integer;
    if (a.type == AttributeType::kBool) return *integer != 0;
  }
  return AttributeText(a);
}

Status RunRecords(const RecordsCli& o) {
  const govern::EntityDef* entity = govern::FindEntity(o.entity);
  if (!entity || entity->name == "crosswalk") {
    return InvalidArgument("unknown entity '{}' (one of: {})", o.entity, govern::EntityNames());
  }
  std::vector<importer::RecordCondition> conditions;
  if (!o.key.empty()) {
    if (entity->ref_key.empty()) {
      return InvalidArgument("{} records have no readable key: select them with --where", o.entity);
    }
    conditions.push_back({std::string(entity->ref_key), "=", o.key});
  }
  for (const std::string& w : o.where) {
    FH_ASSIGN_OR_RETURN(importer::RecordCondition c, importer::ParseRecordCondition(w));
    conditions.push_back(std::move(c));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  std::lock_guard<std::mutex> lock(hub->catalog_mutex());
  FH_ASSIGN_OR_RETURN(std::vector<importer::StoredRecord> records,
                      importer::FindRecords(hub->catalog_db(), *entity, conditions, o.limit));
  std::vector<std::string> personal;
  if (!o.unmasked) {
    importer::GovernanceStore gov(hub->catalog_db());
    FH_ASSIGN_OR_RETURN(personal, gov.PersonalFields(o.entity));
  }
  const auto is_personal = [&](std::string_view name) {
    return std::find(personal.begin(), personal.end(), name) != personal.end();
  };
  for (importer::StoredRecord& r : records) {
    for (auto& [name, value] : r.fields) {
      if (value && is_personal(name)) value = MaskPersonal(*value);
    }
    for (Attribute& a : r.attributes) {
      if (is_personal(a.name) && a.type == AttributeType::kText) {
        a.value = MaskPersonal(AttributeText(a));
      }
    }
  }
  int64_t total = static_cast<int64_t>(records.size());
  if (total == o.limit) {
    FH_ASSIGN_OR_RETURN(total, importer::CountRecords(hub->catalog_db(), *entity, conditions));
  }
  if (total > static_cast<int64_t>(records.size())) {
    fmt::print(stderr, "The first {} of {} records; --limit N shows more.\n", records.size(),
               total);
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const importer::StoredRecord& r : records) {
      nlohmann::ordered_json fields = nlohmann::ordered_json::object();
      for (const auto& [name, value] : r.fields)
        fields[name] = value ? nlohmann::ordered_json(*value) : nullptr;
      nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
      for (const Attribute& a : r.attributes)
        attributes[a.name] = AttributeJson(a);
      list.push_back({{"id", r.id},
                      {"key", r.key},
                      {"fields", std::move(fields)},
                      {"attributes", std::move(attributes)}});
    }
    PrintJson(list);
    return Status::Ok();
  }
  if (records.empty()) {
    fmt::print("No {} records{}.\n", o.entity, conditions.empty() ? "" : " match");
    return Status::Ok();
  }
  for (const importer::StoredRecord& r : records) {
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
  sub->footer(
      "Examples:\n"
      "  factoryhub records --hub plant material M-100\n"
      "  factoryhub records --hub plant material --where standard_cost>=10 --where "
      "kind=product\n"
      "  factoryhub records --hub plant customer --where email=li@acme.cn --json");
  return {sub, [o]() { return RunRecords(*o); }};
}

}  // namespace fh::cli
