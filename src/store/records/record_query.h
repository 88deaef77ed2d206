// RecordQuery: reads stored records of any canonical entity for people — every field (a
// reference as the key it names, a time in RFC 3339) and the record's custom attributes —
// selected by key, by field or by attribute. `factoryhub records` prints what it finds.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "govern/entity_schema.h"
#include "model/attribute.h"
#include "store/keys/field_protection.h"

namespace fh::sqlite {
class Db;
class Stmt;
}  // namespace fh::sqlite

namespace fh {

// One condition: NAME OP VALUE, NAME a field or an attribute of the entity.
struct RecordCondition {
  std::string name;
  std::string op;  // = != < <= > >=
  std::string value;
};
// "standard_cost>=10" -> {standard_cost, >=, 10}; InvalidArgument when there is no operator.
Result<RecordCondition> ParseRecordCondition(std::string_view text);

struct StoredRecord {
  int64_t id = 0;
  std::string key;  // the natural key as text ("M-100", "WO-1|10")
  std::vector<std::pair<std::string, std::optional<std::string>>> fields;  // entity order
  std::vector<Attribute> attributes;                                       // by name
};

// {"id", "key", "fields": {name: text|null}, "attributes": {name: number|text|bool}}: what
// `records --json` and GET /api/v1/records answer.
nlohmann::ordered_json StoredRecordJson(const StoredRecord& record);
// An attribute's value for people: times in RFC 3339, booleans as true/false.
std::string AttributeText(const Attribute& a);

// Reads the stored records of any entity. Uses the hub's catalog connection: reach it
// through a CatalogSession (store/catalog_session.h).
class RecordStore {
 public:
  // `protection`: the hub's encrypted fields (null: none): conditions on them compare with
  // their encrypted forms, and what is read is decrypted.
  explicit RecordStore(sqlite::Db& db, FieldProtection* protection = nullptr)
      : db_(db), protection_(protection) {}

  // The records of `entity` meeting every condition (all records when there is none), by
  // id, at most `limit`. A condition on a field compares the stored column (numbers as
  // numbers, times given as RFC 3339 or a date); on an attribute, the attribute's stored
  // value with its type. An unknown name is InvalidArgument listing the entity's fields.
  // `scope` (an ISA-95 path; "" = all) keeps the records placed under it
  // (govern::PlaceField); an entity without a place has none there (FailedPrecondition).
  Result<std::vector<StoredRecord>> Find(const govern::EntityDef& entity,
                                         const std::vector<RecordCondition>& conditions,
                                         int64_t limit, std::string_view scope = {});
  // The records of `entity` with these row ids, by id (ids not stored are left out).
  Result<std::vector<StoredRecord>> FindByIds(const govern::EntityDef& entity,
                                              std::span<const int64_t> ids);
  // The number of records the conditions select, the limit aside.
  Result<int64_t> Count(const govern::EntityDef& entity,
                        const std::vector<RecordCondition>& conditions,
                        std::string_view scope = {});
  // Masks the values of the fields and attributes that a mapping of the entity marks
  // `personal: true` (common/personal_mask.h).
  Status MaskPersonal(const govern::EntityDef& entity, std::vector<StoredRecord>& records);

 private:
  // The cipher when `entity` has an encrypted field, else null.
  Result<const security::FieldCipher*> CipherFor(const govern::EntityDef& entity);
  // The records `st` selects (the id, then the entity's columns), decrypted, with their
  // attributes.
  Result<std::vector<StoredRecord>> ReadRecords(sqlite::Stmt& st, const govern::EntityDef& entity,
                                                const security::FieldCipher* cipher);
  sqlite::Db& db_;
  FieldProtection* protection_;
};

}  // namespace fh
