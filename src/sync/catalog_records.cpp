#include "sync/catalog_records.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "store/catalog_session.h"
#include "store/event_session.h"
#include "store/outbox/outbox.h"
#include "store/records/record_query.h"
#include "store/sync/change_capture.h"

namespace fh::sync {
namespace catalog_records_detail {

using nlohmann::ordered_json;

// A record larger than this is split: fewer changes per record.
constexpr size_t kMaxPayloadBytes = size_t{16} << 20;

ordered_json BatchJson(const ForwardedBatch& b) {
  return {{"id", b.id},
          {"source_system", b.source_system},
          {"source_object", b.source_object},
          {"mapping_version", b.mapping_version},
          {"mapping", b.mapping_name},
          {"entity", b.entity},
          {"status", b.status},
          {"started_at", b.started_at},
          {"finished_at", b.finished_at ? ordered_json(*b.finished_at) : ordered_json()},
          {"read", b.read},
          {"accepted", b.accepted},
          {"quarantined", b.quarantined},
          {"duplicates", b.duplicates},
          {"stale", b.stale},
          {"warnings", b.warnings},
          {"message", b.message ? ordered_json(*b.message) : ordered_json()}};
}

ordered_json LineageJson(const Lineage& l) {
  return {{"source_system", l.source_system},
          {"source_object", l.source_object},
          {"source_line", l.source_line ? ordered_json(*l.source_line) : ordered_json()},
          {"mapping_version", l.mapping_version},
          {"batch", l.batch_id ? ordered_json(*l.batch_id) : ordered_json()}};
}

struct Payload {
  std::string bytes;
  QueuedCatalog counts;
};

// The rows `changes` name, as a record's payload. Each row once, with what it holds now.
Result<Payload> Build(CatalogSession& session, const std::vector<CatalogChange>& changes) {
  std::map<std::string, std::set<int64_t>, std::less<>> rows;
  for (const CatalogChange& c : changes)
    rows[c.entity].insert(c.row_id);
  auto ids_of = [&](std::string_view entity) {
    auto it = rows.find(entity);
    return it == rows.end() ? std::vector<int64_t>()
                            : std::vector<int64_t>(it->second.begin(), it->second.end());
  };
  Payload out;
  ordered_json doc = {{"batches", ordered_json::array()},
                      {"records", ordered_json::array()},
                      {"texts", ordered_json::array()}};
  if (const std::vector<int64_t> ids = ids_of(kBatchChange); !ids.empty()) {
    FH_ASSIGN_OR_RETURN(const std::vector<ForwardedBatch> batches,
                        session.change_log().Batches(ids));
    for (const ForwardedBatch& b : batches)
      doc["batches"].push_back(BatchJson(b));
    out.counts.batches = static_cast<int64_t>(batches.size());
  }
  for (std::string_view name : ForwardedEntities()) {
    const std::vector<int64_t> ids = ids_of(name);
    if (ids.empty()) continue;
    const govern::EntityDef* entity = govern::FindEntity(name);
    if (entity == nullptr) return Internal("no entity {}", name);
    FH_ASSIGN_OR_RETURN(const std::vector<StoredRecord> records,
                        session.records().FindByIds(*entity, ids));
    FH_ASSIGN_OR_RETURN(const auto lineages, session.change_log().Lineages(entity->table, ids));
    std::map<int64_t, const Lineage*> lineage_of;
    for (const auto& [id, lineage] : lineages)
      lineage_of[id] = &lineage;
    for (const StoredRecord& r : records) {
      ordered_json fields = ordered_json::object();
      for (const auto& [field, value] : r.fields)
        fields[field] = value ? ordered_json(*value) : ordered_json();
      auto l = lineage_of.find(r.id);
      doc["records"].push_back(
          {{"entity", name},
           {"fields", std::move(fields)},
           {"lineage", LineageJson(l == lineage_of.end() ? Lineage() : *l->second)}});
    }
    out.counts.records += static_cast<int64_t>(records.size());
  }
  if (const std::vector<int64_t> ids = ids_of(kTextChange); !ids.empty()) {
    FH_ASSIGN_OR_RETURN(const std::vector<TextSample> texts, session.change_log().Texts(ids));
    for (const TextSample& t : texts)
      doc["texts"].push_back({{"tag", t.tag}, {"ts", t.ts}, {"value", t.value}});
    out.counts.texts = static_cast<int64_t>(texts.size());
  }
  out.bytes.assign(kCatalogMagic);
  out.bytes += JsonText(doc);
  out.counts.changes = static_cast<int64_t>(changes.size());
  return out;
}

ordered_json AlarmJson(const StoredAlarmEvent& e) {
  return {{"id", e.id},
          {"alarm", e.alarm},
          {"equipment", e.equipment},
          {"priority", e.priority},
          {"event", e.event},
          {"ts", e.ts},
          {"state", e.state},
          {"annunciated", e.annunciated},
          {"value", e.value ? ordered_json(*e.value) : ordered_json()},
          {"user", e.user},
          {"comment", e.comment},
          {"recorded_at", e.recorded_at}};
}

}  // namespace catalog_records_detail

Result<int64_t> QueueAlarmEvents(Hub& hub, int64_t max_events) {
  outbox::Outbox* box = hub.outbox();
  if (box == nullptr) return FailedPrecondition("the hub forwards to no central hub");
  std::vector<StoredAlarmEvent> events;
  {
    EventSession session = hub.OpenEvents();
    FH_ASSIGN_OR_RETURN(const int64_t queued, session.alarm_journal().QueuedUpTo());
    FH_ASSIGN_OR_RETURN(events, session.alarm_journal().After(queued, max_events));
  }
  if (events.empty()) return int64_t{0};
  nlohmann::ordered_json alarms = nlohmann::ordered_json::array();
  for (const StoredAlarmEvent& e : events)
    alarms.push_back(catalog_records_detail::AlarmJson(e));
  std::string payload(kAlarmMagic);
  payload += JsonText(nlohmann::ordered_json{{"alarms", std::move(alarms)}});
  FH_RETURN_IF_ERROR(
      box->Append(payload, 0, NowNs()).WithContext("queueing alarm events for the central hub"));
  EventSession session = hub.OpenEvents();
  FH_RETURN_IF_ERROR(session.alarm_journal().SetQueuedUpTo(events.back().id));
  return static_cast<int64_t>(events.size());
}

Result<QueuedCatalog> QueueCatalogChanges(Hub& hub, int64_t max_changes) {
  outbox::Outbox* box = hub.outbox();
  if (box == nullptr) return FailedPrecondition("the hub forwards to no central hub");
  int64_t limit = std::max<int64_t>(max_changes, 1);
  while (true) {
    catalog_records_detail::Payload payload;
    int64_t last_seq = 0;
    {
      CatalogSession session = hub.OpenCatalog();
      FH_ASSIGN_OR_RETURN(const std::vector<CatalogChange> changes,
                          session.change_log().Pending(limit));
      if (changes.empty()) return QueuedCatalog{};
      last_seq = changes.back().seq;
      FH_ASSIGN_OR_RETURN(payload, catalog_records_detail::Build(session, changes));
    }
    if (payload.bytes.size() > catalog_records_detail::kMaxPayloadBytes && limit > 1) {
      limit /= 2;
      continue;
    }
    // A payload of rows deleted since (nothing left to send) is not queued.
    const bool empty = payload.counts.records + payload.counts.batches + payload.counts.texts == 0;
    if (!empty) {
      FH_RETURN_IF_ERROR(box->Append(payload.bytes, 0, NowNs())
                             .WithContext("queueing records for the central hub"));
    }
    CatalogSession session = hub.OpenCatalog();
    FH_RETURN_IF_ERROR(session.change_log().Forget(last_seq));
    return payload.counts;
  }
}

}  // namespace fh::sync
