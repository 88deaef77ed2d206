// Catalog: the external-ID crosswalk.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

std::string CrosswalkKey(EntityKind entity, std::string_view system, std::string_view id) {
  return fmt::format("{} '{}' in {}", ToString(entity), id, system);
}

Result<ExternalId> ReadExternalId(Row& r) {
  ExternalId x;
  FH_ASSIGN_OR_RETURN(x.entity, ReadEnum(r, ParseEntityKind));
  x.canonical_id = r.Int();
  x.source_system = r.Text();
  x.external_id = r.Text();
  x.lineage.source_system = x.source_system;
  x.lineage.source_object = r.OptText().value_or("");
  x.lineage.source_line = r.OptInt();
  x.lineage.mapping_version = r.OptText().value_or("");
  x.lineage.batch_id = r.OptInt();
  return x;
}

}  // namespace

Status Catalog::MapExternalId(const ExternalId& x) {
  const std::string what = CrosswalkKey(x.entity, x.source_system, x.external_id);
  if (x.source_system.empty() || x.external_id.empty()) {
    return InvalidArgument("crosswalk {}: source system and external id must not be empty", what);
  }
  // The canonical row must exist: the crosswalk's canonical_id cannot be a foreign key,
  // since it points into the table named by `entity`.
  {
    FH_ASSIGN_OR_RETURN(ScopedStmt check, Statement(fmt::format("SELECT 1 FROM {} WHERE id = ?",
                                                                ToString(x.entity))));
    BindAll(*check, x.canonical_id);
    FH_ASSIGN_OR_RETURN(bool exists, check->Step());
    if (!exists) {
      return NotFound("crosswalk {}: {} id {} not found", what, ToString(x.entity), x.canonical_id);
    }
  }
  Result<int64_t> current = ResolveExternalId(x.entity, x.source_system, x.external_id);
  if (current.ok() && *current != x.canonical_id) {
    return AlreadyExists("crosswalk {}: already mapped to id {}, not {}", what, *current,
                         x.canonical_id);
  }
  if (!current.ok() && current.status().code() != StatusCode::kNotFound) return current.status();
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO crosswalk(entity, canonical_id, source_system, external_id, "
                "source_object, source_line, mapping_version, batch_id) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(entity, source_system, external_id) DO UPDATE SET "
                "source_object = excluded.source_object, source_line = excluded.source_line, "
                "mapping_version = excluded.mapping_version, batch_id = excluded.batch_id"));
  auto opt_text = [](const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
  };
  BindAll(*st, ToString(x.entity), x.canonical_id, x.source_system, x.external_id,
          opt_text(x.lineage.source_object), x.lineage.source_line,
          opt_text(x.lineage.mapping_version), x.lineage.batch_id);
  return RunStmt(*st, "crosswalk " + what);
}

Status Catalog::UnmapExternalId(EntityKind entity, std::string_view source_system,
                                std::string_view external_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("DELETE FROM crosswalk WHERE entity = ? AND "
                                               "source_system = ? AND external_id = ?"));
  BindAll(*st, ToString(entity), source_system, external_id);
  const std::string what = "crosswalk " + CrosswalkKey(entity, source_system, external_id);
  FH_RETURN_IF_ERROR(RunStmt(*st, what));
  if (db_.Changes() == 0) return NotFound("{} not found", what);
  return Status();
}

Result<int64_t> Catalog::ResolveExternalId(EntityKind entity, std::string_view source_system,
                                           std::string_view external_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT canonical_id FROM crosswalk WHERE entity = ? AND "
                                "source_system = ? AND external_id = ?"));
  BindAll(*st, ToString(entity), source_system, external_id);
  const std::string what = CrosswalkKey(entity, source_system, external_id);
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status().WithContext("crosswalk " + what);
  if (!*row) return NotFound("no canonical id for {}", what);
  return st->Int(0);
}

Result<std::vector<ExternalId>> Catalog::ListExternalIds(EntityKind entity, int64_t canonical_id) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT entity, canonical_id, source_system, external_id, source_object, "
                "source_line, mapping_version, batch_id FROM crosswalk WHERE entity = ? AND "
                "canonical_id = ? ORDER BY source_system, external_id"));
  BindAll(*st, ToString(entity), canonical_id);
  return ReadAll(*st, ReadExternalId,
                 fmt::format("external ids of {} {}", ToString(entity), canonical_id));
}

}  // namespace fh
