#include "store/records/hub_lookups.h"

#include "model/entity.h"
#include "store/catalog/catalog.h"
#include "store/sqlite/db.h"
#include "store/storage.h"

namespace fh {

Result<std::optional<std::string>> HubLookups::ResolveExternalId(std::string_view entity,
                                                                 std::string_view system,
                                                                 std::string_view external_id) {
  FH_ASSIGN_OR_RETURN(EntityKind kind, ParseEntityKind(entity));
  Result<int64_t> id = catalog_.ResolveExternalId(kind, system, external_id);
  if (!id.ok()) {
    if (id.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return id.status();
  }
  FH_ASSIGN_OR_RETURN(std::string key, refs_.KeyOf(entity, *id));
  return std::optional<std::string>(std::move(key));
}

Result<bool> HubLookups::Exists(std::string_view entity, std::string_view key) {
  FH_ASSIGN_OR_RETURN(std::optional<int64_t> id, refs_.Find(entity, key));
  return id.has_value();
}

Result<std::optional<std::string>> HubLookups::KeyWithValue(std::string_view entity,
                                                            std::string_view field,
                                                            std::string_view value) {
  const govern::EntityDef* def = govern::FindEntity(entity);
  const govern::FieldDef* f = def ? def->FindField(field) : nullptr;
  if (!f || def->ref_key.empty())
    return InvalidArgument("{}.{} cannot be looked up", entity, field);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached(fmt::format("SELECT {} FROM {} WHERE {} = ?1 LIMIT 1",
                                             def->ref_key, def->table, f->column)));
  st->Bind(1, value);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> key;
  if (row) key = std::string(st->Text(0));
  st->Reset();
  return key;
}

Result<std::optional<int64_t>> HubLookups::LastTimestamp(std::string_view tag) {
  FH_ASSIGN_OR_RETURN(std::optional<Sample> last, storage_.Latest(std::string(tag)));
  if (!last) return std::optional<int64_t>();
  return std::optional<int64_t>(last->ts);
}

}  // namespace fh
