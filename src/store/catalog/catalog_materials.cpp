// Catalog: materials and products.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define MATERIAL_COLUMNS "id, code, name, kind, unit, description, " FH_LINEAGE_COLUMNS

Result<Material> ReadMaterial(Row& r) {
  Material m;
  m.id = r.Int();
  m.code = r.Text();
  m.name = r.Text();
  FH_ASSIGN_OR_RETURN(m.kind, ReadEnum(r, ParseMaterialKind));
  m.unit = r.OptText();
  m.description = r.OptText();
  m.lineage = r.ReadLineage();
  return m;
}

std::string MaterialKey(std::string_view code) {
  return fmt::format("material '{}'", code);
}

}  // namespace

Result<int64_t> Catalog::UpsertMaterial(const Material& m) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO material(code, name, kind, unit, description, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                "unit = excluded.unit, description = excluded.description, " FH_LINEAGE_UPDATE
                " RETURNING id"));
  BindAll(*st, m.code, m.name, ToString(m.kind), m.unit, m.description, m.lineage);
  return ReturningId(*st, MaterialKey(m.code));
}

Result<Material> Catalog::GetMaterial(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " MATERIAL_COLUMNS " FROM material WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadMaterial, fmt::format("material id {}", id));
}

Result<Material> Catalog::FindMaterial(std::string_view code) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " MATERIAL_COLUMNS " FROM material WHERE code = ?"));
  BindAll(*st, code);
  return ReadOne(*st, ReadMaterial, MaterialKey(code));
}

Result<std::vector<Material>> Catalog::ListMaterials(std::optional<MaterialKind> kind) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " MATERIAL_COLUMNS " FROM material "
                                               "WHERE ?1 IS NULL OR kind = ?1 ORDER BY code"));
  if (kind) BindAll(*st, ToString(*kind));
  return ReadAll(*st, ReadMaterial, "materials");
}

}  // namespace fh
