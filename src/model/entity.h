// EntityKind names the canonical model's entities; the names are their table names.
// Used where one call serves every entity: the external-ID crosswalk and lineage lookup.
#pragma once

#include <cstdint>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"

namespace fh {

enum class EntityKind {
  kAsset,
  kTag,
  kReasonCode,
  kEquipmentStateEvent,
  kMaterial,
  kCustomer,
  kSalesOrder,
  kSalesOrderLine,
  kWorkOrder,
  kWorkOrderOperator,
  kInspection,
  kLot,
  kLotLink,
  kPersonnel,
  kQualification,
  kPersonnelQualification,
  kEquipmentQualification,
  kBomItem,
  kShipment,
};
inline constexpr EnumNames<EntityKind, 19> kEntityKindNames = {{
    {EntityKind::kAsset, "asset"},
    {EntityKind::kTag, "tag"},
    {EntityKind::kReasonCode, "reason_code"},
    {EntityKind::kEquipmentStateEvent, "equipment_state_event"},
    {EntityKind::kMaterial, "material"},
    {EntityKind::kCustomer, "customer"},
    {EntityKind::kSalesOrder, "sales_order"},
    {EntityKind::kSalesOrderLine, "sales_order_line"},
    {EntityKind::kWorkOrder, "work_order"},
    {EntityKind::kWorkOrderOperator, "work_order_operator"},
    {EntityKind::kInspection, "inspection"},
    {EntityKind::kLot, "lot"},
    {EntityKind::kLotLink, "lot_link"},
    {EntityKind::kPersonnel, "personnel"},
    {EntityKind::kQualification, "qualification"},
    {EntityKind::kPersonnelQualification, "personnel_qualification"},
    {EntityKind::kEquipmentQualification, "equipment_qualification"},
    {EntityKind::kBomItem, "bom_item"},
    {EntityKind::kShipment, "shipment"},
}};
inline std::string_view ToString(EntityKind v) {
  return EnumToString(kEntityKindNames, v);
}
inline Result<EntityKind> ParseEntityKind(std::string_view s) {
  return EnumParse(kEntityKindNames, "entity", s);
}

// A crosswalk entry: the same thing under another system's identifier (material M-100 in
// the ERP is 100-A in the MES). Natural key: (entity, source_system, external_id).
struct ExternalId {
  EntityKind entity = EntityKind::kMaterial;
  int64_t canonical_id = 0;
  std::string source_system;
  std::string external_id;
  Lineage lineage;
  bool operator==(const ExternalId&) const = default;
};

}  // namespace fh
