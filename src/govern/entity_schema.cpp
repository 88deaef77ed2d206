#include "govern/entity_schema.h"

#include <array>
#include <string>

#include "model/asset.h"
#include "model/equipment_state.h"
#include "model/lot.h"
#include "model/material.h"
#include "model/order.h"
#include "model/quality.h"
#include "model/tag_meta.h"

namespace fh::govern {

namespace {

// The names of a model enum table, as a static array of string_views.
template <typename E, size_t N>
constexpr std::array<std::string_view, N> NamesOf(const EnumNames<E, N>& table) {
  std::array<std::string_view, N> names{};
  for (size_t i = 0; i < N; ++i)
    names[i] = table[i].name;
  return names;
}

constexpr auto kMaterialKinds = NamesOf(kMaterialKindNames);
constexpr auto kSalesOrderStatuses = NamesOf(kSalesOrderStatusNames);
constexpr auto kWorkOrderStatuses = NamesOf(kWorkOrderStatusNames);
constexpr auto kEquipmentStates = NamesOf(kEquipmentStateNames);
constexpr auto kLotStatuses = NamesOf(kLotStatusNames);
constexpr auto kInspectionResults = NamesOf(kInspectionResultNames);
constexpr auto kTagDataTypes = NamesOf(kTagDataTypeNames);
constexpr std::array<std::string_view, 19> kEntityNamesForCrosswalk = {"asset",
                                                                       "tag",
                                                                       "reason_code",
                                                                       "equipment_state_event",
                                                                       "material",
                                                                       "customer",
                                                                       "sales_order",
                                                                       "sales_order_line",
                                                                       "work_order",
                                                                       "work_order_operator",
                                                                       "inspection",
                                                                       "lot",
                                                                       "lot_link",
                                                                       "personnel",
                                                                       "qualification",
                                                                       "personnel_qualification",
                                                                       "equipment_qualification",
                                                                       "bom_item",
                                                                       "shipment"};

FieldDef Text(std::string_view name, bool required = false) {
  return {name, FieldType::kText, required, name, {}, {}, {}};
}
FieldDef Real(std::string_view name, bool required = false, std::string_view def = {}) {
  return {name, FieldType::kReal, required, name, {}, {}, def};
}
FieldDef Int(std::string_view name, bool required = false, std::string_view def = {}) {
  return {name, FieldType::kInt, required, name, {}, {}, def};
}
FieldDef Time(std::string_view name, bool required = false) {
  return {name, FieldType::kTime, required, name, {}, {}, {}};
}
FieldDef Bool(std::string_view name, std::string_view def) {
  return {name, FieldType::kBool, false, name, {}, {}, def};
}
template <size_t N>
FieldDef Enum(std::string_view name, const std::array<std::string_view, N>& values,
              std::string_view def = {}) {
  return {name, FieldType::kEnum, def.empty(), name, {}, values, def};
}
FieldDef Ref(std::string_view name, std::string_view column, std::string_view entity,
             bool required = false) {
  return {name, FieldType::kRef, required, column, entity, {}, {}};
}

std::vector<EntityDef> BuildEntities() {
  std::vector<EntityDef> e;
  e.push_back({"asset", "asset", {Text("path", true), Text("description")}, {"path"}, "path"});
  e.push_back({"tag",
               "tag",
               {Text("name", true), Ref("equipment", "equipment_id", "asset"), Text("unit"),
                Enum("data_type", kTagDataTypes, "double"), Real("lo_limit"), Real("hi_limit"),
                Text("description")},
               {"name"},
               "name"});
  e.push_back({"reason_code",
               "reason_code",
               {Text("code", true), Text("description"), Text("category")},
               {"code"},
               "code"});
  e.push_back({"equipment_state_event",
               "equipment_state_event",
               {Ref("equipment", "equipment_id", "asset", true), Enum("state", kEquipmentStates),
                Time("start_ts", true), Time("end_ts"), Ref("reason", "reason_id", "reason_code"),
                Ref("work_order", "work_order_id", "work_order")},
               {"equipment", "start_ts"},
               {}});
  e.push_back({"material",
               "material",
               {Text("code", true), Text("name", true), Enum("kind", kMaterialKinds, "raw"),
                Text("unit"), Text("description")},
               {"code"},
               "code"});
  e.push_back(
      {"bom_item",
       "bom_item",
       {Ref("parent", "parent_id", "material", true),
        Ref("component", "component_id", "material", true), Real("quantity", true), Text("unit")},
       {"parent", "component"},
       {}});
  e.push_back({"customer",
               "customer",
               {Text("code", true), Text("name", true), Text("country")},
               {"code"},
               "code"});
  e.push_back({"sales_order",
               "sales_order",
               {Text("number", true), Ref("customer", "customer_id", "customer", true),
                Enum("status", kSalesOrderStatuses, "open"), Time("ordered_at"), Time("due_at")},
               {"number"},
               "number"});
  e.push_back({"sales_order_line",
               "sales_order_line",
               {Ref("sales_order", "sales_order_id", "sales_order", true), Int("line_no", true),
                Ref("material", "material_id", "material", true), Real("quantity", true),
                Text("unit"), Time("due_at")},
               {"sales_order", "line_no"},
               {}});
  e.push_back(
      {"work_order",
       "work_order",
       {Text("number", true), Ref("material", "material_id", "material", true),
        Ref("equipment", "equipment_id", "asset"), Enum("status", kWorkOrderStatuses, "planned"),
        Real("planned_qty", true), Real("good_qty", false, "0"), Real("scrap_qty", false, "0"),
        Text("unit"), Real("ideal_cycle_time_s"), Time("planned_start"), Time("planned_end"),
        Time("actual_start"), Time("actual_end"), Real("rework_qty", false, "0")},
       {"number"},
       "number"});
  e.push_back(
      {"inspection",
       "inspection",
       {Text("characteristic", true), Time("inspected_at", true), Int("sample_no", false, "1"),
        Ref("equipment", "equipment_id", "asset"), Ref("work_order", "work_order_id", "work_order"),
        Ref("lot", "lot_id", "lot"), Ref("inspector", "inspector_id", "personnel"), Real("value"),
        Text("unit"), Real("lsl"), Real("usl"), Real("target"), Enum("result", kInspectionResults),
        Text("defect_code")},
       {"characteristic", "inspected_at", "sample_no", "equipment", "work_order", "lot"},
       {}});
  e.push_back({"lot",
               "lot",
               {Ref("material", "material_id", "material", true), Text("number", true),
                Enum("status", kLotStatuses, "available"), Real("quantity"), Text("unit"),
                Ref("work_order", "work_order_id", "work_order"), Text("supplier"),
                Time("produced_at"), Time("expires_at")},
               {"material", "number"},
               "number"});
  e.push_back({"lot_link",
               "lot_link",
               {Ref("input_lot", "input_lot_id", "lot", true),
                Ref("output_lot", "output_lot_id", "lot", true), Real("quantity"),
                Ref("work_order", "work_order_id", "work_order"), Time("linked_at")},
               {"input_lot", "output_lot"},
               {}});
  e.push_back({"shipment",
               "shipment",
               {Text("number", true), Ref("lot", "lot_id", "lot", true),
                Ref("customer", "customer_id", "customer", true),
                Ref("sales_order", "sales_order_id", "sales_order"), Real("quantity"), Text("unit"),
                Time("shipped_at")},
               {"number", "lot"},
               {}});
  // ISA-95's personnel class is `class` to a mapping ("operator", "setter"); `line` is the
  // person's home line (the work unit they belong to), `shift` the shift they work.
  e.push_back({"personnel",
               "personnel",
               {Text("code", true), Text("name", true), Ref("site", "site_id", "asset"),
                Bool("active", "true"),
                FieldDef{"class", FieldType::kText, false, "personnel_class", {}, {}, {}},
                Text("shift"), Ref("line", "line_id", "asset")},
               {"code"},
               "code"});
  e.push_back({"qualification",
               "qualification",
               {Text("code", true), Text("name", true), Text("description"), Text("operations")},
               {"code"},
               "code"});
  // Who holds which qualification until when (the certificate's expiry), which equipment
  // requires which, and who ran which work order (docs/people.md).
  e.push_back({"personnel_qualification",
               "personnel_qualification",
               {Ref("personnel", "personnel_id", "personnel", true),
                Ref("qualification", "qualification_id", "qualification", true), Time("valid_from"),
                Time("valid_to"), Text("certificate")},
               {"personnel", "qualification"},
               {}});
  e.push_back({"equipment_qualification",
               "equipment_qualification",
               {Ref("equipment", "equipment_id", "asset", true),
                Ref("qualification", "qualification_id", "qualification", true)},
               {"equipment", "qualification"},
               {}});
  e.push_back(
      {"work_order_operator",
       "work_order_operator",
       {Ref("work_order", "work_order_id", "work_order", true),
        Ref("personnel", "personnel_id", "personnel", true), Time("from_ts"), Time("to_ts")},
       {"work_order", "personnel"},
       {}});
  // The crosswalk itself: "this system's id X is the canonical <entity> <key>".
  e.push_back({"crosswalk",
               "crosswalk",
               {Enum("entity", kEntityNamesForCrosswalk), Text("source_system", true),
                Text("external_id", true), Text("canonical", true)},
               {"entity", "source_system", "external_id"},
               {}});
  return e;
}

}  // namespace

std::string_view ToString(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kReal:
      return "real";
    case FieldType::kInt:
      return "int";
    case FieldType::kTime:
      return "time";
    case FieldType::kBool:
      return "bool";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kRef:
      return "reference";
  }
  return "?";
}

const FieldDef* EntityDef::FindField(std::string_view field) const {
  for (const FieldDef& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

std::optional<size_t> EntityDef::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return i;
  }
  return std::nullopt;
}

std::span<const EntityDef> Entities() {
  static const std::vector<EntityDef> entities = BuildEntities();
  return entities;
}

const FieldDef* PlaceField(const EntityDef& entity) {
  if (entity.name == "asset") return entity.FindField("path");
  for (const FieldDef& f : entity.fields) {
    if (f.type == FieldType::kRef && f.ref_entity == "asset") return &f;
  }
  return nullptr;
}

const EntityDef* FindEntity(std::string_view name) {
  for (const EntityDef& e : Entities()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string EntityNames() {
  std::string names;
  for (const EntityDef& e : Entities()) {
    if (!names.empty()) names += ", ";
    names += e.name;
  }
  return names + ", samples";
}

}  // namespace fh::govern
