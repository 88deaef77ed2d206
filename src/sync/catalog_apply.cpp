#include "sync/catalog_apply.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "model/sample.h"
#include "store/catalog/text_samples.h"
#include "store/governance/governance_store.h"
#include "store/records/entity_writer.h"
#include "store/sync/change_capture.h"
#include "store/sync/sync_site_store.h"
#include "sync/catalog_records.h"

namespace fh::sync {
namespace catalog_apply_detail {

using nlohmann::json;

// Entities the central hub does not hold (store/sync/change_capture.h): a reference to one
// is dropped, not refused.
bool IsPlantOnly(std::string_view entity) {
  return entity == "personnel";
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> OptInt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

int64_t Int(const json& j, const char* key) {
  return OptInt(j, key).value_or(0);
}

ForwardedBatch ReadBatch(const json& j) {
  ForwardedBatch b;
  b.id = Int(j, "id");
  b.source_system = Text(j, "source_system");
  b.source_object = Text(j, "source_object");
  b.mapping_version = Text(j, "mapping_version");
  b.mapping_name = Text(j, "mapping");
  b.entity = Text(j, "entity");
  b.status = Text(j, "status");
  b.started_at = Int(j, "started_at");
  b.finished_at = OptInt(j, "finished_at");
  b.read = Int(j, "read");
  b.accepted = Int(j, "accepted");
  b.quarantined = Int(j, "quarantined");
  b.duplicates = Int(j, "duplicates");
  b.stale = Int(j, "stale");
  b.warnings = Int(j, "warnings");
  if (auto it = j.find("message"); it != j.end() && it->is_string()) {
    b.message = it->get<std::string>();
  }
  return b;
}

// A field's text as the edge read it, typed again; false when it does not read as its type.
bool ReadValue(const govern::FieldDef& f, const std::string& text, govern::Value& v) {
  switch (f.type) {
    case govern::FieldType::kReal:
    case govern::FieldType::kInt: {
      double d = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec != std::errc() || end != text.data() + text.size()) return false;
      v.SetNumber(d);
      return true;
    }
    case govern::FieldType::kTime: {
      Result<int64_t> t = ParseRfc3339(text);
      if (!t.ok()) return false;
      v.SetTime(*t);
      return true;
    }
    case govern::FieldType::kBool:
      if (text != "true" && text != "false") return false;
      v.SetBool(text == "true");
      return true;
    default:
      v.SetText(text);
      return true;
  }
}

class Applier {
 public:
  Applier(CatalogSession& session, std::string_view site, int64_t now, CatalogApplied& applied)
      : session_(session), site_(site), now_(now), applied_(applied) {}

  Status Batches(const json& batches) {
    for (const json& b : batches) {
      if (!b.is_object()) return InvalidArgument("a batch that is not an object");
      const ForwardedBatch batch = ReadBatch(b);
      FH_ASSIGN_OR_RETURN(const int64_t id, session_.sync_sites().MirrorBatch(site_, batch));
      mirrored_[batch.id] = id;
      ++applied_.batches;
    }
    return Status();
  }

  Status Record(const json& r) {
    if (!r.is_object() || !r.contains("fields") || !r["fields"].is_object()) {
      return InvalidArgument("a record without fields");
    }
    const std::string entity_name = Text(r, "entity");
    const std::span<const std::string_view> forwarded = ForwardedEntities();
    if (std::find(forwarded.begin(), forwarded.end(), entity_name) == forwarded.end()) {
      return InvalidArgument("a record of '{}', which is not forwarded", entity_name);
    }
    const govern::EntityDef& entity = *govern::FindEntity(entity_name);
    const json& fields = r["fields"];
    const json lineage_json = r.value("lineage", json::object());

    Lineage lineage;
    lineage.source_system = Text(lineage_json, "source_system");
    if (lineage.source_system.empty()) lineage.source_system = "sync";
    const std::string object = Text(lineage_json, "source_object");
    lineage.source_object = site_ + "/" + object;
    lineage.source_line = OptInt(lineage_json, "source_line");
    lineage.mapping_version = Text(lineage_json, "mapping_version");
    FH_ASSIGN_OR_RETURN(lineage.batch_id, BatchOf(OptInt(lineage_json, "batch")));

    std::vector<govern::Value> values(entity.fields.size());
    std::vector<std::optional<std::string>> texts(entity.fields.size());
    std::vector<govern::Violation> violations;
    for (size_t i = 0; i < entity.fields.size(); ++i) {
      const govern::FieldDef& f = entity.fields[i];
      auto it = fields.find(std::string(f.name));
      if (it == fields.end() || it->is_null()) continue;
      if (!it->is_string()) return InvalidArgument("{}.{} is not text", entity_name, f.name);
      std::string text = it->get<std::string>();
      // Tags are the site's, as its points are; people stay at the plant.
      if (entity_name == "tag" && f.name == "name") text = site_ + "/" + text;
      texts[i] = text;
      if (f.type == govern::FieldType::kRef && IsPlantOnly(f.ref_entity)) continue;
      if (!ReadValue(f, text, values[i])) {
        violations.push_back({govern::CheckKind::kCast, govern::Severity::kReject, "cast",
                              std::string(f.name), text,
                              fmt::format("'{}' is not a {}", text, govern::ToString(f.type))});
      }
    }
    WriteOutcome outcome = WriteOutcome::kRejected;
    if (violations.empty()) {
      FH_ASSIGN_OR_RETURN(EntityWriter * writer, WriterFor(entity));
      FH_ASSIGN_OR_RETURN(outcome, writer->Write(values, lineage, violations, nullptr));
    }
    if (outcome != WriteOutcome::kRejected) {
      ++applied_.records;
      return Status();
    }
    ++applied_.refused;
    QuarantinedRecord q;
    q.batch_id = lineage.batch_id.value_or(0);
    q.mapping_name = site_ + "/sync";
    q.entity = entity_name;
    q.source_system = lineage.source_system;
    q.source_object = lineage.source_object;
    q.source_line = lineage.source_line;
    for (size_t i = 0; i < entity.fields.size(); ++i) {
      q.columns.emplace_back(entity.fields[i].name);
      q.fields.push_back(texts[i]);
    }
    q.raw = JsonText(r);
    q.reasons = std::move(violations);
    q.record_key = EntityWriter::KeyText(entity, values);
    q.created_at = now_;
    return session_.governance().Quarantine(q).status();
  }

  Status Texts(const json& texts) {
    std::vector<TextSample> samples;
    for (const json& t : texts) {
      if (!t.is_object()) return InvalidArgument("a text value that is not an object");
      TextSample s{site_ + "/" + Text(t, "tag"), Int(t, "ts"), Text(t, "value")};
      if (!IsValidTagName(s.tag)) {
        ++applied_.refused;  // the site's name makes it too long: counted, not stored
        continue;
      }
      samples.push_back(std::move(s));
    }
    FH_RETURN_IF_ERROR(session_.text_samples().Write(samples));
    applied_.texts += static_cast<int64_t>(samples.size());
    return Status();
  }

 private:
  // The batch here of the edge's batch `edge_id` (the site's own batch when there is none,
  // or when the edge's was made before it forwarded).
  Result<std::optional<int64_t>> BatchOf(std::optional<int64_t> edge_id) {
    if (edge_id) {
      if (auto it = mirrored_.find(*edge_id); it != mirrored_.end()) {
        return std::optional<int64_t>(it->second);
      }
      FH_ASSIGN_OR_RETURN(const std::optional<int64_t> known,
                          session_.sync_sites().FindMirroredBatch(site_, *edge_id));
      if (known) return known;
    }
    if (!site_batch_) {
      FH_ASSIGN_OR_RETURN(site_batch_, session_.sync_sites().SiteBatch(site_, now_));
    }
    return std::optional<int64_t>(site_batch_);
  }

  Result<EntityWriter*> WriterFor(const govern::EntityDef& entity) {
    auto it = writers_.find(entity.name);
    if (it != writers_.end()) return it->second.get();
    FH_ASSIGN_OR_RETURN(std::unique_ptr<EntityWriter> writer, session_.NewEntityWriter(entity));
    const std::string_view table = entity.table;
    writer->SetUpdateGuard([this, table](int64_t row) -> Result<std::optional<std::string>> {
      FH_ASSIGN_OR_RETURN(const RowOwner owner, session_.sync_sites().OwnerOfRow(table, row));
      if (!owner.claimed || owner.site == site_) return std::optional<std::string>();
      return std::optional<std::string>(owner.site ? fmt::format("is site {}'s", *owner.site)
                                                   : std::string("is this hub's own"));
    });
    EntityWriter* out = writer.get();
    writers_.emplace(entity.name, std::move(writer));
    return out;
  }

  CatalogSession& session_;
  const std::string site_;
  const int64_t now_;
  CatalogApplied& applied_;
  std::map<int64_t, int64_t> mirrored_;  // edge batch -> batch here, this payload's
  std::optional<int64_t> site_batch_;
  std::map<std::string_view, std::unique_ptr<EntityWriter>> writers_;
};

}  // namespace catalog_apply_detail

Status ApplyCatalogPayload(CatalogSession& session, std::string_view site, std::string_view payload,
                           int64_t now, CatalogApplied& applied) {
  using catalog_apply_detail::json;
  if (!IsCatalogPayload(payload)) return InvalidArgument("not a records payload");
  payload.remove_prefix(kCatalogMagic.size());
  FH_RETURN_IF_ERROR(CheckJsonDepth(payload, "records payload"));
  const json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (!doc.is_object()) return InvalidArgument("records payload: not a JSON object");
  catalog_apply_detail::Applier applier(session, site, now, applied);
  const json empty = json::array();
  auto list = [&](const char* key) -> const json& {
    auto it = doc.find(key);
    return it != doc.end() && it->is_array() ? *it : empty;
  };
  FH_RETURN_IF_ERROR(applier.Batches(list("batches")));
  for (const json& r : list("records"))
    FH_RETURN_IF_ERROR(applier.Record(r));
  return applier.Texts(list("texts"));
}

Status ReadAlarmPayload(std::string_view payload, std::vector<StoredAlarmEvent>& out) {
  using catalog_apply_detail::Int;
  using catalog_apply_detail::json;
  using catalog_apply_detail::Text;
  if (!IsAlarmPayload(payload)) return InvalidArgument("not an alarm payload");
  payload.remove_prefix(kAlarmMagic.size());
  FH_RETURN_IF_ERROR(CheckJsonDepth(payload, "alarm payload"));
  const json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (!doc.is_object() || !doc.contains("alarms") || !doc["alarms"].is_array()) {
    return InvalidArgument("alarm payload: not an object with an array 'alarms'");
  }
  for (const json& a : doc["alarms"]) {
    if (!a.is_object()) return InvalidArgument("an alarm event that is not an object");
    StoredAlarmEvent e;
    e.id = Int(a, "id");
    e.alarm = Text(a, "alarm");
    if (e.id <= 0 || e.alarm.empty()) {
      return InvalidArgument("an alarm event without an id or an alarm");
    }
    e.equipment = Text(a, "equipment");
    e.priority = Text(a, "priority");
    e.event = Text(a, "event");
    e.ts = Int(a, "ts");
    e.state = Text(a, "state");
    if (auto b = a.find("annunciated"); b != a.end() && b->is_boolean()) {
      e.annunciated = b->get<bool>();
    }
    if (auto v = a.find("value"); v != a.end() && v->is_number()) e.value = v->get<double>();
    e.user = Text(a, "user");
    e.comment = Text(a, "comment");
    e.recorded_at = Int(a, "recorded_at");
    out.push_back(std::move(e));
  }
  return Status();
}

}  // namespace fh::sync
