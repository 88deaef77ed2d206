// EntityWriter: stores mapped records of one canonical entity in the hub's database with
// one prepared upsert on the entity's natural key. References (a work order's material
// code, an event's equipment path) are resolved to ids first, with a cache.
//
// The upsert only updates a row whose values differ, so its outcome tells a changed
// record (accepted) from one already stored exactly so (a duplicate): that is what makes
// re-importing a file report "0 accepted, N duplicates" and change nothing.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "govern/entity_schema.h"
#include "govern/value.h"
#include "govern/violation.h"
#include "model/attribute.h"
#include "model/entity.h"
#include "model/lineage.h"
#include "security/field_cipher.h"
#include "store/records/batch_keys.h"

namespace fh {
class Catalog;
namespace sqlite {
class Db;
class Stmt;
}  // namespace sqlite
}  // namespace fh

namespace fh {

// kStale: the store holds a newer version of the record (SetVersionField): not written.
enum class WriteOutcome { kChanged, kUnchanged, kRejected, kStale };

// Finds stored records by their readable key (ref_key), caching hits.
class RefResolver {
 public:
  explicit RefResolver(sqlite::Db& db) : db_(db) {}
  // The id of the `entity` whose ref_key is `key`, or nullopt.
  Result<std::optional<int64_t>> Find(std::string_view entity, std::string_view key);
  // The ref_key of the row `id` of `entity`.
  Result<std::string> KeyOf(std::string_view entity, int64_t id);

 private:
  // Looked up by string_view: a hit (most references of an import) allocates nothing.
  template <typename V>
  using Map = StringMap<V>;

  struct EntityCache {
    Map<int64_t> ids;  // key -> id
    // The last hit: a record's reference rule and its write ask for the same key in a row.
    const std::pair<const std::string, int64_t>* last = nullptr;
  };

  sqlite::Db& db_;
  Map<EntityCache> cache_;  // by entity
};

class EntityWriter {
 public:
  // `attributes`: the mapping's custom attributes, which follow the entity's fields in the
  // records written (govern::RecordFields); they must outlive the writer.
  static Result<std::unique_ptr<EntityWriter>> Make(
      sqlite::Db& db, Catalog& catalog, RefResolver& refs, const govern::EntityDef& entity,
      std::span<const govern::FieldDef> attributes = {});
  ~EntityWriter();

  // Stores one record (its attributes too: a record whose row is as stored but whose
  // attributes changed is kChanged). A reference that resolves to nothing, or a record the
  // schema refuses, is kRejected with a Violation appended (the record is not stored). Any
  // other failure (I/O) is an error. `id` receives the row's id when it is known.
  Result<WriteOutcome> Write(const std::vector<govern::Value>& values, const Lineage& lineage,
                             std::vector<govern::Violation>& violations, int64_t* id);

  // References in these fields that resolve to nothing are stored as null instead of
  // rejecting the record (a `reference` rule with severity warn on an optional field).
  void SetLenientReferences(std::vector<bool> lenient) { lenient_refs_ = std::move(lenient); }

  // Asked before a stored row (not an asset's) would be updated: a reason refuses the update
  // when it would change the row — the record is kRejected with a `key` violation saying why,
  // and the row stays as it was. A central hub keeps one site's record from being written
  // over by another's (sync/catalog_apply.h).
  using UpdateGuard = std::function<Result<std::optional<std::string>>(int64_t row_id)>;
  void SetUpdateGuard(UpdateGuard guard) { guard_ = std::move(guard); }

  // Records of one batch (an import) that share a natural key: the first is stored, an
  // identical later one is kUnchanged, and one with other values is kRejected with a `key`
  // violation naming the first's line, never stored over it. Digests of what is stored
  // (references as the ids they resolve to, so that two references a lenient rule nulled
  // share a key as they would in the store), ~22 MB per million records (batch_keys.h).
  // Call once per batch;
  // records of an earlier batch are updated as before.
  void TrackBatchKeys() { track_keys_ = true; }

  // The record field (entity field or attribute, by RecordFields index; a time or a number)
  // that versions a record: one whose stored version is greater is kStale, not written (an
  // older export imported after a newer one must not revert what the newer one stored).
  void SetVersionField(size_t index);

  // Fields stored encrypted (encryption at rest): `fields[i]` is field i's name as the
  // cipher's associated data ("customer.name"), empty for a field stored in clear.
  void Protect(const security::FieldCipher* cipher, std::vector<std::string> fields) {
    cipher_ = cipher;
    protected_ = std::move(fields);
    encrypted_.resize(protected_.size());
  }

  // The record's natural key as text ("WO-1", "M-1|LOT-7"), for quarantine and lineage.
  static std::string KeyText(const govern::EntityDef& entity,
                             const std::vector<govern::Value>& values);

 private:
  EntityWriter(sqlite::Db& db, Catalog& catalog, RefResolver& refs, const govern::EntityDef& entity,
               std::span<const govern::FieldDef> attributes);
  // The record's attributes, stored for the row `id`: whether any changed.
  Result<bool> WriteAttributes(const std::vector<govern::Value>& values, int64_t id,
                               const Lineage& lineage);
  // Write() once references resolved and the batch's keys were checked.
  Result<WriteOutcome> WriteStored(const std::vector<govern::Value>& values, const Lineage& lineage,
                                   std::vector<govern::Violation>& violations, int64_t* id);
  // The row id of the record's natural key, if stored.
  Result<std::optional<int64_t>> FindRowId(const std::vector<govern::Value>& values);
  // Whether the stored record's version is newer than this one's (SetVersionField).
  Result<bool> IsStale(const std::vector<govern::Value>& values);
  // The entity's own row (no attributes).
  Result<WriteOutcome> WriteRow(const std::vector<govern::Value>& values, const Lineage& lineage,
                                std::vector<govern::Violation>& violations, int64_t* id);
  // The update of an existing row when guard_ refuses changing it.
  Result<WriteOutcome> GuardedUpdate(const std::vector<govern::Value>& values,
                                     const Lineage& lineage,
                                     std::vector<govern::Violation>& violations);
  Result<WriteOutcome> WriteAsset(const std::vector<govern::Value>& values, const Lineage& lineage,
                                  std::vector<govern::Violation>& violations, int64_t* id);
  // Binds the record (references from ref_ids_) and runs `st`: whether it changed a row.
  Result<bool> Execute(sqlite::Stmt& st, const std::vector<govern::Value>& values,
                       const Lineage& lineage);
  Result<WriteOutcome> WriteCrosswalk(const std::vector<govern::Value>& values,
                                      const Lineage& lineage,
                                      std::vector<govern::Violation>& violations);

  sqlite::Db& db_;
  Catalog& catalog_;
  RefResolver& refs_;
  const govern::EntityDef& entity_;
  std::span<const govern::FieldDef> attributes_;
  EntityKind kind_ = EntityKind::kMaterial;      // entity_, for the attributes' table
  std::vector<Attribute> attribute_values_;      // scratch
  std::unique_ptr<sqlite::Stmt> insert_;         // a new record
  std::unique_ptr<sqlite::Stmt> update_;         // a stored one that differs (none: all key)
  std::unique_ptr<sqlite::Stmt> find_id_;        // by natural key, for the external id
  std::vector<std::optional<int64_t>> ref_ids_;  // the record's resolved references
  std::vector<bool> lenient_refs_;               // by field index
  UpdateGuard guard_;
  const security::FieldCipher* cipher_ = nullptr;  // Protect()
  std::vector<std::string> protected_;             // by field index
  std::vector<std::string> encrypted_;             // scratch: what Execute binds
  bool track_keys_ = false;
  std::optional<size_t> version_index_;
  BatchKeys batch_keys_;  // TrackBatchKeys
  // The digests of the record as it is stored (after references resolve); no key digest
  // when the store would not see the key as one (a null column).
  std::optional<uint64_t> KeyDigest(const std::vector<govern::Value>& values) const;
  uint64_t ValuesDigest(const std::vector<govern::Value>& values) const;
};

}  // namespace fh
