// EntitySchema: what a mapping may target. For every importable entity of the canonical
// model (docs/model.md): its fields, their types, which are required, which refer to other
// entities, and the natural key an import upserts on.
//
// Field names are what mappings write. A plain field is stored in the column of the same
// name; a reference field names the entity it refers to ("customer") and takes that
// entity's natural key as its value ("C-100", or an asset path for equipment); the
// pipeline resolves it to the id column ("customer_id"). tests/pipeline checks that every
// column here exists in the SQLite schema, so the two cannot drift apart.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace fh::govern {

enum class FieldType {
  kText,
  kReal,
  kInt,
  kTime,  // nanoseconds since the epoch, UTC; parsed with the field's timestamp format
  kBool,
  kEnum,  // text restricted to FieldDef::enum_values
  kRef,   // the natural key of FieldDef::ref_entity
};
std::string_view ToString(FieldType type);

struct FieldDef {
  std::string_view name;
  FieldType type = FieldType::kText;
  bool required = false;
  std::string_view column;      // the table's column (the id column for a reference)
  std::string_view ref_entity;  // kRef: the entity referred to
  std::span<const std::string_view> enum_values;  // kEnum
  std::string_view default_value;                 // used when a required field is absent
};

struct EntityDef {
  std::string_view name;   // "work_order"
  std::string_view table;  // SQLite table
  std::vector<FieldDef> fields;
  // Fields of the natural key, in the order of the table's UNIQUE constraint.
  std::vector<std::string_view> key;
  // The field other entities refer to this one by (its readable key), if any.
  std::string_view ref_key;

  const FieldDef* FindField(std::string_view field) const;
  std::optional<size_t> FieldIndex(std::string_view field) const;
};

// The importable entities, plus the pseudo-entity "samples" is handled by the mapping
// itself (time series go to the Storage, not to a table).
std::span<const EntityDef> Entities();
const EntityDef* FindEntity(std::string_view name);
// "material, customer, ..." for error messages.
std::string EntityNames();
// The field that places a record of `entity` in the plant's ISA-95 hierarchy: an asset's own
// path, or the first reference to an asset (a work order's equipment); null when the entity
// has no place (materials, customers). Scopes select records by it.
const FieldDef* PlaceField(const EntityDef& entity);

}  // namespace fh::govern
