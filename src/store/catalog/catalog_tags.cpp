// Catalog: tag metadata (the descriptive side of the time-series tags).
#include "model/sample.h"
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define TAG_COLUMNS                                                                            \
  "t.id, t.name, t.equipment_id, t.unit, t.data_type, t.lo_limit, t.hi_limit, t.description, " \
  "t.source_system, t.source_object, t.source_line, t.mapping_version, t.batch_id"

Result<TagMeta> ReadTag(Row& r) {
  TagMeta t;
  t.id = r.Int();
  t.name = r.Text();
  t.equipment_id = r.OptInt();
  t.unit = r.OptText();
  FH_ASSIGN_OR_RETURN(t.data_type, ReadEnum(r, ParseTagDataType));
  t.lo_limit = r.OptDouble();
  t.hi_limit = r.OptDouble();
  t.description = r.OptText();
  t.lineage = r.ReadLineage();
  return t;
}

Result<TagListing> ReadTagListing(Row& r) {
  TagListing l;
  FH_ASSIGN_OR_RETURN(l.tag, ReadTag(r));
  l.equipment_path = r.OptText().value_or("");
  return l;
}

std::string TagKey(std::string_view name) {
  return fmt::format("tag '{}'", name);
}

}  // namespace

Result<int64_t> Catalog::UpsertTag(const TagMeta& tag) {
  if (!IsValidTagName(tag.name)) {
    return InvalidArgument("tag name must be 1..{} bytes, got {}", kMaxTagNameBytes,
                           tag.name.size());
  }
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO tag(name, equipment_id, unit, data_type, lo_limit, hi_limit, "
                "description, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(name) DO UPDATE SET equipment_id = excluded.equipment_id, "
                "unit = excluded.unit, data_type = excluded.data_type, "
                "lo_limit = excluded.lo_limit, hi_limit = excluded.hi_limit, "
                "description = excluded.description, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, tag.name, tag.equipment_id, tag.unit, ToString(tag.data_type), tag.lo_limit,
          tag.hi_limit, tag.description, tag.lineage);
  return ReturningId(*st, TagKey(tag.name));
}

Result<TagMeta> Catalog::GetTag(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " TAG_COLUMNS " FROM tag t WHERE t.id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadTag, fmt::format("tag id {}", id));
}

Result<TagMeta> Catalog::FindTag(std::string_view name) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " TAG_COLUMNS " FROM tag t WHERE t.name = ?"));
  BindAll(*st, name);
  return ReadOne(*st, ReadTag, TagKey(name));
}

Result<std::vector<TagListing>> Catalog::ListTags(std::string_view path) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st, Statement("SELECT " TAG_COLUMNS ", a.path FROM tag t LEFT JOIN asset a "
                               "ON a.id = t.equipment_id WHERE ?1 = '' OR a.path = ?1 "
                               "OR substr(a.path, 1, length(?1) + 1) = ?1 || '/' ORDER BY t.name"));
  BindAll(*st, path);
  return ReadAll(*st, ReadTagListing, "tags");
}

}  // namespace fh
