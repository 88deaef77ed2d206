#include "api/lineage_json.h"

#include <cstdlib>

#include "common/time.h"
#include "govern/entity_schema.h"
#include "model/entity.h"
#include "store/governance/governance_store.h"
#include "store/records/entity_writer.h"
#include "store/storage.h"

namespace fh::api {
namespace {

Status NotStored(GovernanceStore& gov, const std::string& entity, const std::string& key) {
  FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> open, gov.FindOpenByKey(entity, key));
  if (open.empty()) return NotFound("no {} '{}' is stored", entity, key);
  const QuarantinedRecord& q = open.front();
  std::string why;
  for (const govern::Violation& v : q.reasons) {
    why += fmt::format("{}{}{}: {}", why.empty() ? "" : "; ", v.rule,
                       v.field.empty() ? "" : " " + v.field, v.message);
  }
  return NotFound(
      "no {} '{}' is stored: it is in quarantine (id {}, batch {}, {}{}): {}; see factoryhub "
      "quarantine show {}{}",
      entity, key, q.id, q.batch_id, q.source_object,
      q.source_line ? fmt::format(" line {}", *q.source_line) : "", why, q.id,
      open.size() > 1 ? fmt::format(" ({} open entries have this key)", open.size()) : "");
}

template <typename T>
nlohmann::ordered_json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

Result<RecordLineage> FindRecordLineage(CatalogSession& session, const std::string& entity,
                                        const std::string& key, bool by_id) {
  FH_ASSIGN_OR_RETURN(EntityKind kind, ParseEntityKind(entity));
  RecordLineage r;
  r.entity = entity;
  r.key = key;
  const govern::EntityDef* def = govern::FindEntity(entity);
  if (by_id || !def || def->ref_key.empty()) {
    char* end = nullptr;
    r.id = std::strtoll(key.c_str(), &end, 10);
    if (key.empty() || *end != '\0') {
      return InvalidArgument("{} records have no readable key: give the numeric id", entity);
    }
  } else {
    FH_ASSIGN_OR_RETURN(std::optional<int64_t> found, session.refs().Find(entity, key));
    if (!found) return NotStored(session.governance(), entity, key);
    r.id = *found;
  }
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(r.lineage, catalog.GetLineage(kind, r.id));
  if (r.lineage.batch_id) {
    Result<IngestBatch> b = catalog.GetBatch(*r.lineage.batch_id);
    if (b.ok()) r.batch = *b;
  }
  FH_ASSIGN_OR_RETURN(r.external, catalog.ListExternalIds(kind, r.id));
  return r;
}

nlohmann::ordered_json RecordLineageJson(const RecordLineage& r) {
  nlohmann::ordered_json ext = nlohmann::ordered_json::array();
  for (const ExternalId& x : r.external) {
    ext.push_back({{"source_system", x.source_system}, {"external_id", x.external_id}});
  }
  nlohmann::ordered_json doc = {{"entity", r.entity},
                                {"id", r.id},
                                {"key", r.key},
                                {"source_system", r.lineage.source_system},
                                {"source_object", r.lineage.source_object},
                                {"line", OrNull(r.lineage.source_line)},
                                {"mapping_version", r.lineage.mapping_version},
                                {"batch", OrNull(r.lineage.batch_id)},
                                {"external_ids", std::move(ext)}};
  if (r.batch) {
    doc["batch_started_at"] = FormatRfc3339(r.batch->started_at);
    doc["batch_status"] = std::string(ToString(r.batch->status));
  }
  return doc;
}

Result<SampleLineage> FindSampleLineage(Hub& hub, const std::string& tag, int64_t at) {
  SampleLineage s;
  s.tag = tag;
  s.at = at;
  const Status scanned =
      hub.storage().Scan(tag, TimeRange{at, at + 1},
                         [&](std::span<const TimestampNs> ts, std::span<const double> value,
                             std::span<const uint32_t> quality) {
                           if (!ts.empty()) s.point = Sample{ts[0], value[0], quality[0]};
                           return false;
                         });
  if (!scanned.ok() && scanned.code() != StatusCode::kNotFound) return scanned;
  CatalogSession session = hub.OpenCatalog();
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(s.spans, catalog.FindSeriesLineage(tag, at));
  for (const SeriesLineage& span : s.spans) {
    FH_ASSIGN_OR_RETURN(IngestBatch b, catalog.GetBatch(span.batch_id));
    s.batches.push_back(std::move(b));
  }
  return s;
}

nlohmann::ordered_json SampleLineageJson(const SampleLineage& s) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (size_t i = 0; i < s.spans.size(); ++i) {
    const SeriesLineage& span = s.spans[i];
    const IngestBatch& b = s.batches[i];
    list.push_back({{"batch", span.batch_id},
                    {"source_system", b.source_system},
                    {"source_object", b.source_object},
                    {"mapping_version", b.mapping_version},
                    {"first_line", OrNull(span.first_line)},
                    {"last_line", OrNull(span.last_line)},
                    {"from", FormatRfc3339(span.first_ts)},
                    {"to", FormatRfc3339(span.last_ts)},
                    {"samples", span.samples},
                    {"imported_at", FormatRfc3339(b.started_at)}});
  }
  nlohmann::ordered_json doc = {{"tag", s.tag}, {"at", FormatRfc3339(s.at)}};
  doc["value"] = s.point ? nlohmann::ordered_json(s.point->value) : nullptr;
  doc["quality"] = s.point ? nlohmann::ordered_json(s.point->quality) : nullptr;
  doc["batches"] = std::move(list);
  return doc;
}

}  // namespace fh::api
