// Catalog: the ISA-95 asset hierarchy.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define ASSET_COLUMNS "id, parent_id, level, name, path, description, " FH_LINEAGE_COLUMNS

Result<Asset> ReadAsset(Row& r) {
  Asset a;
  a.id = r.Int();
  a.parent_id = r.OptInt();
  FH_ASSIGN_OR_RETURN(a.level, ReadEnum(r, ParseAssetLevel));
  a.name = r.Text();
  a.path = r.Text();
  a.description = r.OptText();
  a.lineage = r.ReadLineage();
  return a;
}

std::string AssetKey(std::string_view path) {
  return fmt::format("asset '{}'", path);
}

}  // namespace

Result<int64_t> Catalog::UpsertAsset(const Asset& asset) {
  const std::string what = AssetKey(asset.path);
  Result<std::vector<std::string_view>> segments = SplitAssetPath(asset.path);
  if (!segments.ok()) return segments.status();
  AssetLevel expected = AssetLevelForDepth(segments->size());
  if (asset.level != expected) {
    return InvalidArgument(
        "{}: level {} does not fit a path of {} segment(s), which is {} "
        "(enterprise/site/area/line/equipment...)",
        what, ToString(asset.level), segments->size(), ToString(expected));
  }
  std::optional<int64_t> parent_id;
  std::string_view parent_path = ParentAssetPath(asset.path);
  if (!parent_path.empty()) {
    Result<Asset> parent = FindAsset(parent_path);
    if (!parent.ok()) return parent.status().WithContext(what + ": parent");
    parent_id = parent->id;
  }
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO asset(parent_id, level, name, path, description, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(path) DO UPDATE SET level = excluded.level, "
                "description = excluded.description, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, parent_id, ToString(asset.level), segments->back(), asset.path, asset.description,
          asset.lineage);
  return ReturningId(*st, what);
}

Result<int64_t> Catalog::CreateAssetPath(std::string_view path, const Lineage& lineage) {
  FH_ASSIGN_OR_RETURN(std::vector<std::string_view> segments, SplitAssetPath(path));
  FH_ASSIGN_OR_RETURN(Savepoint sp, Savepoint::Begin(db_));
  int64_t id = 0;
  for (size_t depth = 1; depth <= segments.size(); ++depth) {
    std::string_view last = segments[depth - 1];
    std::string_view prefix = path.substr(0, last.data() + last.size() - path.data());
    Result<Asset> existing = FindAsset(prefix);
    if (existing.ok()) {
      id = existing->id;
      continue;
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
    Asset a;
    a.path = std::string(prefix);
    a.level = AssetLevelForDepth(depth);
    a.lineage = lineage;
    FH_ASSIGN_OR_RETURN(id, UpsertAsset(a));
  }
  FH_RETURN_IF_ERROR(sp.Release());
  return id;
}

Result<Asset> Catalog::GetAsset(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " ASSET_COLUMNS " FROM asset WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadAsset, fmt::format("asset id {}", id));
}

Result<Asset> Catalog::FindAsset(std::string_view path) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " ASSET_COLUMNS " FROM asset WHERE path = ?"));
  BindAll(*st, path);
  return ReadOne(*st, ReadAsset, AssetKey(path));
}

Result<std::vector<Asset>> Catalog::ListChildren(std::optional<int64_t> parent_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " ASSET_COLUMNS
                                               " FROM asset WHERE parent_id IS ? ORDER BY name"));
  BindAll(*st, parent_id);
  return ReadAll(*st, ReadAsset, "asset children");
}

Result<std::vector<Asset>> Catalog::ListAssets(std::string_view path) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " ASSET_COLUMNS " FROM asset WHERE ?1 = '' OR path = ?1 "
                                "OR substr(path, 1, length(?1) + 1) = ?1 || '/' ORDER BY path"));
  BindAll(*st, path);
  return ReadAll(*st, ReadAsset, "assets");
}

}  // namespace fh
