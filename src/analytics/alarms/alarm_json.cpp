#include "analytics/alarms/alarm_json.h"

#include <cmath>
#include <unordered_map>

#include "common/time.h"

namespace fh::analytics::alarms {
namespace {

nlohmann::ordered_json Counts(const std::vector<AlarmCount>& counts) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const AlarmCount& c : counts)
    out.push_back({{"alarm", c.alarm}, {"count", c.count}, {"share", c.share}});
  return out;
}

}  // namespace

nlohmann::ordered_json JournalEntryJson(const JournalEntry& e) {
  nlohmann::ordered_json j;
  j["alarm"] = e.alarm;
  j["equipment"] = e.equipment;
  j["priority"] = PriorityName(e.priority);
  j["event"] = AlarmEventText(e.event.kind);
  j["ts"] = FormatRfc3339(e.event.ts);
  j["state"] = AlarmStateText(e.event.state);
  j["annunciated"] = e.event.annunciated;
  j["value"] = std::isfinite(e.value) ? nlohmann::ordered_json(e.value) : nullptr;
  return j;
}

nlohmann::ordered_json LiveAlarmEventJson(const LiveAlarmEvent& e) {
  nlohmann::ordered_json j = JournalEntryJson(e.entry);
  if (!e.user.empty()) j["user"] = e.user;
  if (!e.comment.empty()) j["comment"] = e.comment;
  return j;
}

nlohmann::ordered_json JournalJson(std::span<const JournalEntry> journal) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const JournalEntry& e : journal)
    out.push_back(JournalEntryJson(e));
  return out;
}

nlohmann::ordered_json AlarmReportJson(const AlarmReport& r) {
  nlohmann::ordered_json j;
  j["from"] = FormatRfc3339(r.range.from);
  j["to"] = FormatRfc3339(r.range.to);
  j["operators"] = r.operators;
  j["annunciated"] = r.annunciated;
  j["per_operator_per_10_minutes"] = r.per_operator_per_10_minutes;
  j["per_operator_per_hour"] = r.per_operator_per_hour;
  j["per_operator_per_day"] = r.per_operator_per_day;
  j["periods"] = r.periods;
  j["periods_in_flood"] = r.periods_in_flood;
  j["flood_percent"] = r.flood_percent;
  j["peak_in_10_minutes"] = r.peak_in_period;
  j["peak_at"] = r.peak_in_period > 0 ? nlohmann::ordered_json(FormatRfc3339(r.peak_at)) : nullptr;
  j["bad_actors"] = Counts(r.bad_actors);
  j["bad_actors_share"] = r.bad_actors_share;
  j["chattering"] = Counts(r.chattering);
  j["fleeting"] = r.fleeting;
  j["stale"] = r.stale;
  nlohmann::ordered_json mix;
  for (Priority p : {Priority::kCritical, Priority::kHigh, Priority::kMedium, Priority::kLow}) {
    const int64_t n = r.by_priority[static_cast<size_t>(p)];
    mix[std::string(PriorityName(p))] = {
        {"count", n}, {"share", r.annunciated > 0 ? double(n) / double(r.annunciated) : 0.0}};
  }
  j["priorities"] = mix;
  j["not_annunciated"] = r.suppressed_activations;
  return j;
}

nlohmann::ordered_json AlarmStateJson(const AlarmDefinition* d, const StoredAlarmState& s) {
  auto time = [](int64_t ts) {
    return ts != 0 ? nlohmann::ordered_json(FormatRfc3339(ts)) : nullptr;
  };
  nlohmann::ordered_json j;
  j["alarm"] = s.alarm;
  if (d) {
    j["type"] = AlarmTypeName(d->type);
    j["source"] = d->type == AlarmType::kSpc ? d->characteristic : d->tag;
    j["priority"] = PriorityName(d->priority);
    j["equipment"] = d->equipment;
    j["description"] = d->description;
  } else {
    j["defined"] = false;
  }
  j["state"] = s.state;
  j["active"] = s.active;
  j["acknowledged"] = s.acknowledged;
  j["latched"] = s.latched;
  j["shelving"] = s.shelving;
  j["shelved_until"] = s.shelving == "timed" ? time(s.shelved_until) : nullptr;
  j["suppressed"] = s.suppressed;
  j["out_of_service"] = s.out_of_service;
  j["active_since"] = s.active ? time(s.active_since) : nullptr;
  j["updated_at"] = time(s.updated_at);
  return j;
}

std::vector<std::pair<const AlarmDefinition*, StoredAlarmState>> StatesOfDefinitions(
    const AlarmConfig& config, std::vector<StoredAlarmState> stored) {
  std::unordered_map<std::string_view, StoredAlarmState*> by_name;
  for (StoredAlarmState& s : stored)
    by_name.emplace(s.alarm, &s);
  std::vector<std::pair<const AlarmDefinition*, StoredAlarmState>> out;
  out.reserve(config.alarms.size());
  for (const AlarmDefinition& d : config.alarms) {
    auto it = by_name.find(d.name);
    if (it != by_name.end()) {
      out.emplace_back(&d, std::move(*it->second));
      continue;
    }
    StoredAlarmState normal;
    normal.alarm = d.name;
    normal.state = "normal";
    out.emplace_back(&d, std::move(normal));
  }
  return out;
}

nlohmann::ordered_json StoredAlarmEventJson(const StoredAlarmEvent& e) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["alarm"] = e.alarm;
  j["equipment"] = e.equipment;
  j["priority"] = e.priority;
  j["event"] = e.event;
  j["ts"] = FormatRfc3339(e.ts);
  j["state"] = e.state;
  j["annunciated"] = e.annunciated;
  j["value"] = e.value ? nlohmann::ordered_json(*e.value) : nullptr;
  j["user"] = e.user;
  j["comment"] = e.comment;
  return j;
}

nlohmann::ordered_json FloodJson(const FloodView& f) {
  if (!f.active) return nullptr;
  return {{"since", FormatRfc3339(f.since)},
          {"first_out", f.first_out},
          {"first_out_at", FormatRfc3339(f.first_out_at)},
          {"peak", f.peak},
          {"in_10_minutes", f.in_window}};
}

nlohmann::ordered_json LiveStatesJson(const AlarmConfig& config, const LiveAlarmStates& live,
                                      const std::function<bool(const AlarmDefinition&)>& wants) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (size_t i = 0; i < config.alarms.size() && i < live.states.size(); ++i) {
    if (!wants(config.alarms[i])) continue;
    nlohmann::ordered_json a = AlarmStateJson(&config.alarms[i], live.states[i]);
    a["chattering"] = static_cast<bool>(live.chattering[i]);
    list.push_back(std::move(a));
  }
  return {{"alarms", std::move(list)}, {"flood", FloodJson(live.flood)}};
}

}  // namespace fh::analytics::alarms
