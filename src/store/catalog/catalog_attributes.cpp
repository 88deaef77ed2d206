// Custom attributes of entity records: table entity_attribute (migration 0014).
#include <algorithm>
#include "store/catalog/catalog.h"

#include "store/catalog/catalog_internal.h"

namespace fh {

using catalog_internal::ScopedStmt;

namespace {

// Binds the value as its type stores it: a number stays a number, so that comparisons and
// the index order numbers numerically.
void BindAttributeValue(sqlite::Stmt& st, int index, const Attribute& a) {
  if (const auto* text = std::get_if<std::string>(&a.value)) {
    st.Bind(index, std::string_view(*text));
  } else if (const auto* number = std::get_if<double>(&a.value)) {
    st.Bind(index, *number);
  } else if (const auto* integer = std::get_if<int64_t>(&a.value)) {
    st.Bind(index, *integer);
  } else {
    st.BindNull(index);
  }
}

}  // namespace

Result<bool> Catalog::SetAttributes(EntityKind entity, int64_t id,
                                    std::span<const Attribute> attributes,
                                    std::optional<int64_t> batch_id) {
  bool changed = false;
  for (const Attribute& a : attributes) {
    const std::string what = fmt::format("{} id {}: attribute '{}'", ToString(entity), id, a.name);
    if (std::holds_alternative<std::monostate>(a.value)) {
      FH_ASSIGN_OR_RETURN(ScopedStmt st,
                          Statement("DELETE FROM entity_attribute WHERE entity = ?1 AND "
                                    "record_id = ?2 AND name = ?3"));
      catalog_internal::BindAll(*st, ToString(entity), id, a.name);
      FH_RETURN_IF_ERROR(catalog_internal::RunStmt(*st, what));
      changed |= db_.Changes() > 0;
      continue;
    }
    // Updates only a value that differs: changes() then tells a new value from the same.
    FH_ASSIGN_OR_RETURN(
        ScopedStmt st,
        Statement("INSERT INTO entity_attribute(entity, record_id, name, type, value, batch_id) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(entity, record_id, name) DO UPDATE "
                  "SET type = excluded.type, value = excluded.value, batch_id = excluded.batch_id "
                  "WHERE type IS NOT excluded.type OR value IS NOT excluded.value"));
    catalog_internal::BindAll(*st, ToString(entity), id, a.name, ToString(a.type));
    BindAttributeValue(*st, 5, a);
    st->Bind(6, batch_id);
    FH_RETURN_IF_ERROR(catalog_internal::RunStmt(*st, what));
    changed |= db_.Changes() > 0;
  }
  return changed;
}

Result<std::vector<Attribute>> Catalog::ListAttributes(EntityKind entity, int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT name, type, value FROM entity_attribute WHERE entity = ?1 "
                                "AND record_id = ?2 ORDER BY name"));
  catalog_internal::BindAll(*st, ToString(entity), id);
  return catalog_internal::ReadAll(
      *st,
      [&](catalog_internal::Row& r) -> Result<Attribute> {
        Attribute a;
        a.name = r.Text();
        FH_ASSIGN_OR_RETURN(a.type, ParseAttributeType(r.Text()));
        switch (a.type) {
          case AttributeType::kText:
            a.value = r.Text();
            break;
          case AttributeType::kReal:
            a.value = r.Double();
            break;
          default:
            a.value = r.Int();
            break;
        }
        return a;
      },
      fmt::format("{} id {}: attributes", ToString(entity), id));
}

Result<std::vector<int64_t>> Catalog::FindByAttribute(EntityKind entity, std::string_view name,
                                                      std::string_view op, const Attribute& value,
                                                      int64_t limit) {
  static constexpr std::string_view kOps[] = {"=", "!=", "<", "<=", ">", ">="};
  if (std::find(std::begin(kOps), std::end(kOps), op) == std::end(kOps)) {
    return InvalidArgument("attribute '{}': unknown comparison '{}' (= != < <= > >=)", name, op);
  }
  // The operator comes from the list above, never from user text as such.
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(fmt::format("SELECT record_id FROM entity_attribute WHERE entity = ?1 AND "
                            "name = ?2 AND value {} ?3 ORDER BY record_id LIMIT ?4",
                            op)));
  catalog_internal::BindAll(*st, ToString(entity), name);
  BindAttributeValue(*st, 3, value);
  st->Bind(4, limit);
  return catalog_internal::ReadAll(
      *st, [](catalog_internal::Row& r) -> Result<int64_t> { return r.Int(); },
      fmt::format("{}: attribute '{}'", ToString(entity), name));
}

}  // namespace fh
