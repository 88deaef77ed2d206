#include "share/shared_records.h"

#include <algorithm>

#include "common/time.h"
#include "govern/entity_schema.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"
#include "store/records/record_query.h"

namespace fh::share {
namespace {

using json = nlohmann::json;

bool InList(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool IsPseudonym(std::string_view v) {
  return v.size() == 34 && v.starts_with("p_") && std::all_of(v.begin() + 2, v.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Why a field of the hub's may only leave pseudonymised, if it must.
Result<std::string> Sensitivity(Hub& hub, CatalogSession& session, const RecordShare& r,
                                std::string_view field) {
  FH_ASSIGN_OR_RETURN(const std::vector<std::string> personal,
                      session.governance().PersonalFields(r.entity));
  if (InList(personal, field)) return std::string("personal data (a mapping marks it personal)");
  if (InList(hub.config().encryption.fields, fmt::format("{}.{}", r.entity, field))) {
    return std::string("encrypted at rest (factoryhub.yaml's encryption.fields)");
  }
  return std::string();
}

// A record's value of `name`: a field's text, or an attribute's; nullopt when it has none.
std::optional<std::string> ValueOf(const StoredRecord& record, std::string_view name) {
  for (const auto& [field, value] : record.fields) {
    if (field == name) return value;
  }
  for (const Attribute& a : record.attributes) {
    if (a.name == name) return AttributeText(a);
  }
  return std::nullopt;
}

}  // namespace

std::string SharedPseudonym(const security::BoxKey& box, const Agreement& a,
                            std::string_view value) {
  return "p_" + box.Pseudonym("share:" + a.id, value);
}

Result<json> ExportRecords(Hub& hub, const Agreement& a, const security::BoxKey& box,
                           int64_t& count) {
  json out = json::array();
  if (a.records.empty()) return out;
  CatalogSession session = hub.OpenCatalog();
  for (const RecordShare& r : a.records) {
    const govern::EntityDef& entity = *govern::FindEntity(r.entity);  // Agreement::Parse checked
    for (const std::string& field : r.fields) {
      if (r.Pseudonymises(field)) continue;
      FH_ASSIGN_OR_RETURN(const std::string why, Sensitivity(hub, session, r, field));
      if (!why.empty()) {
        return FailedPrecondition(
            "agreement {}: {}.{} is {}: it leaves pseudonymised (records: pseudonymise) or not "
            "at all",
            a.id, r.entity, field, why);
      }
    }
    std::vector<RecordCondition> conditions;
    for (const std::string& w : r.where) {
      FH_ASSIGN_OR_RETURN(RecordCondition c, ParseRecordCondition(w));
      conditions.push_back(std::move(c));
    }
    if (!r.time.empty()) {
      conditions.push_back({r.time, ">=", FormatRfc3339(a.from_ns)});
      conditions.push_back({r.time, "<", FormatRfc3339(a.to_ns)});
    }
    FH_ASSIGN_OR_RETURN(const int64_t total, session.records().Count(entity, conditions));
    if (total > kMaxSharedRecords) {
      return FailedPrecondition(
          "agreement {}: {} {} records, more than a package carries ({}): split the window or "
          "narrow `where`",
          a.id, total, r.entity, kMaxSharedRecords);
    }
    FH_ASSIGN_OR_RETURN(const std::vector<StoredRecord> found,
                        session.records().Find(entity, conditions, kMaxSharedRecords));
    for (const std::string& field : r.fields) {
      const bool known = entity.FindField(field) != nullptr ||
                         std::any_of(found.begin(), found.end(), [&](const StoredRecord& s) {
                           return ValueOf(s, field).has_value();
                         });
      if (!known && !found.empty()) {
        return InvalidArgument(
            "agreement {}: {} has no field '{}' and none of its records an "
            "attribute of that name",
            a.id, r.entity, field);
      }
    }
    const bool hide_key = std::any_of(entity.key.begin(), entity.key.end(),
                                      [&](std::string_view k) { return r.Pseudonymises(k); });
    json rows = json::array();
    for (const StoredRecord& record : found) {
      json values = json::array();
      for (const std::string& field : r.fields) {
        std::optional<std::string> v = ValueOf(record, field);
        if (v && r.Pseudonymises(field)) v = SharedPseudonym(box, a, *v);
        values.push_back(v ? json(*v) : json());
      }
      rows.push_back(
          json::array({hide_key ? SharedPseudonym(box, a, record.key) : record.key, values}));
    }
    count += static_cast<int64_t>(found.size());
    out.push_back({{"entity", r.entity},
                   {"fields", r.fields},
                   {"pseudonymised", r.pseudonymise},
                   {"rows", std::move(rows)}});
  }
  return out;
}

Result<std::vector<SharedRecord>> ReadSharedRecords(const json& payload, const Agreement& a,
                                                    std::string_view name) {
  std::vector<SharedRecord> out;
  const json none = json::array();
  const json& blocks = payload.contains("records") ? payload["records"] : none;
  if (!blocks.is_array() || blocks.size() != a.records.size()) {
    return InvalidArgument("{}: the records are not the agreement's ({} entities agreed)", name,
                           a.records.size());
  }
  for (size_t b = 0; b < blocks.size(); ++b) {
    const RecordShare& r = a.records[b];
    const json& block = blocks[b];
    if (!block.is_object() || block.value("entity", json()) != r.entity ||
        block.value("fields", json()) != json(r.fields) ||
        block.value("pseudonymised", json()) != json(r.pseudonymise) || !block.contains("rows") ||
        !block["rows"].is_array()) {
      return InvalidArgument("{}: records of {}: not the entity and fields agreement {} names",
                             name, r.entity, a.id);
    }
    if (block["rows"].size() > static_cast<size_t>(kMaxSharedRecords)) {
      return InvalidArgument("{}: more than {} {} records", name, kMaxSharedRecords, r.entity);
    }
    const auto time_at = std::find(r.fields.begin(), r.fields.end(), r.time);
    for (const json& row : block["rows"]) {
      if (!row.is_array() || row.size() != 2 || !row[0].is_string() || !row[1].is_array() ||
          row[1].size() != r.fields.size()) {
        return InvalidArgument("{}: a {} record is not [key, [{} values]]", name, r.entity,
                               r.fields.size());
      }
      const std::string key = row[0].get<std::string>();
      nlohmann::ordered_json fields = nlohmann::ordered_json::object();
      for (size_t i = 0; i < r.fields.size(); ++i) {
        const json& v = row[1][i];
        if (!v.is_null() && !v.is_string()) {
          return InvalidArgument("{}: {} record {}: {} is neither text nor null", name, r.entity,
                                 key, r.fields[i]);
        }
        if (v.is_string() && r.Pseudonymises(r.fields[i]) && !IsPseudonym(v.get<std::string>())) {
          return InvalidArgument("{}: {} record {}: {} should be pseudonymised under agreement {}",
                                 name, r.entity, key, r.fields[i], a.id);
        }
        fields[r.fields[i]] = v;
      }
      if (!r.time.empty() && time_at != r.fields.end()) {
        const json& t = row[1][static_cast<size_t>(time_at - r.fields.begin())];
        const Result<int64_t> ts = t.is_string() ? ParseRfc3339(t.get<std::string>())
                                                 : Result<int64_t>(InvalidArgument("null"));
        if (!ts.ok() || *ts < a.from_ns || *ts >= a.to_ns) {
          return InvalidArgument("{}: {} record {}: its {} is outside agreement {}'s window", name,
                                 r.entity, key, r.time, a.id);
        }
      }
      out.push_back({a.id, "", r.entity, key, fields.dump(), "", 0});
    }
  }
  return out;
}

}  // namespace fh::share
