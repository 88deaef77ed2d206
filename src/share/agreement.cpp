#include "share/agreement.h"

#include <fstream>
#include <sstream>

#include "analytics/query.h"
#include "common/time.h"
#include "govern/entity_schema.h"
#include "govern/yaml_reader.h"
#include "security/merkle.h"
#include "store/records/record_query.h"

namespace fh::share {

namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// One entry of `records:`.
Result<RecordShare> ParseRecordShare(const govern::YamlReader& y, const YAML::Node& n) {
  if (!n.IsMap()) return y.Error(n, "records: each a map (entity, fields, where, time, ...)");
  FH_RETURN_IF_ERROR(
      y.CheckKeys(n, "records", {"entity", "fields", "where", "time", "pseudonymise"}));
  for (const char* key : {"entity", "fields"}) {
    if (!n[key]) return y.Error(n, fmt::format("records: missing '{}'", key));
  }
  RecordShare r;
  FH_ASSIGN_OR_RETURN(r.entity, y.Scalar(n["entity"], "entity"));
  const govern::EntityDef* entity = govern::FindEntity(r.entity);
  if (entity == nullptr || entity->name == "crosswalk") {
    return y.Error(n["entity"],
                   fmt::format("entity: one of {}, not '{}'", govern::EntityNames(), r.entity));
  }
  FH_ASSIGN_OR_RETURN(r.fields, y.Strings(n["fields"], "fields"));
  if (r.fields.empty()) {
    return y.Error(n["fields"], "fields: the fields shared, at least one (nothing leaves unnamed)");
  }
  for (size_t i = 0; i < r.fields.size(); ++i) {
    if (Contains({r.fields.begin(), r.fields.begin() + static_cast<ptrdiff_t>(i)}, r.fields[i])) {
      return y.Error(n["fields"], fmt::format("fields: '{}' twice", r.fields[i]));
    }
  }
  if (n["where"]) {
    FH_ASSIGN_OR_RETURN(r.where, y.Strings(n["where"], "where"));
    for (const std::string& w : r.where) {
      Result<RecordCondition> c = ParseRecordCondition(w);
      if (!c.ok()) return y.Error(n["where"], "where: " + c.status().message());
    }
  }
  if (n["time"]) {
    FH_ASSIGN_OR_RETURN(r.time, y.Scalar(n["time"], "time"));
    const govern::FieldDef* f = entity->FindField(r.time);
    if (f == nullptr || f->type != govern::FieldType::kTime) {
      return y.Error(n["time"],
                     fmt::format("time: a time field of {}, not '{}'", r.entity, r.time));
    }
  }
  if (n["pseudonymise"]) {
    FH_ASSIGN_OR_RETURN(r.pseudonymise, y.Strings(n["pseudonymise"], "pseudonymise"));
    for (const std::string& p : r.pseudonymise) {
      if (!Contains(r.fields, p)) {
        return y.Error(n["pseudonymise"],
                       fmt::format("pseudonymise: '{}' is not one of the fields shared", p));
      }
    }
  }
  return r;
}

}  // namespace

bool RecordShare::Pseudonymises(std::string_view field) const {
  return Contains(pseudonymise, field);
}

Result<Agreement> Agreement::Parse(const std::string& yaml, const std::string& file) {
  FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(yaml, file));
  const govern::YamlReader y(file);
  try {
    if (!root.IsMap()) return y.Error(root, "an agreement is a map (agreement, partner, ...)");
    FH_RETURN_IF_ERROR(
        y.CheckKeys(root, "agreement",
                    {"agreement", "partner", "partner_key", "purpose", "tags", "aggregate",
                     "functions", "records", "from", "to", "pseudonymise", "expires", "store_as"}));
    for (const char* key :
         {"agreement", "partner", "partner_key", "purpose", "from", "to", "expires"}) {
      if (!root[key]) return y.Error(root, fmt::format("missing '{}'", key));
    }
    if (!root["tags"] && !root["records"]) {
      return y.Error(root, "what is shared: tags, records or both");
    }
    if (root["tags"] && !root["aggregate"]) return y.Error(root, "missing 'aggregate'");
    Agreement a;
    a.text = yaml;
    FH_ASSIGN_OR_RETURN(a.id, y.Scalar(root["agreement"], "agreement"));
    if (a.id.empty() || !std::all_of(a.id.begin(), a.id.end(), IsIdChar)) {
      return y.Error(root["agreement"], "agreement: an id of a-z, 0-9, '.', '_' and '-'");
    }
    FH_ASSIGN_OR_RETURN(a.partner, y.Scalar(root["partner"], "partner"));
    FH_ASSIGN_OR_RETURN(const std::string partner_key,
                        y.Scalar(root["partner_key"], "partner_key"));
    Result<security::Hash> bytes = security::HashFromHex(partner_key);
    if (!bytes.ok()) {
      return y.Error(root["partner_key"],
                     "partner_key: the partner hub's key, 64 hex digits (factoryhub share key)");
    }
    a.partner_key = *bytes;
    FH_ASSIGN_OR_RETURN(a.purpose, y.Scalar(root["purpose"], "purpose"));
    if (root["tags"]) {
      FH_ASSIGN_OR_RETURN(a.tags, y.Strings(root["tags"], "tags"));
      if (a.tags.empty()) return y.Error(root["tags"], "tags: at least one tag or glob");
      FH_ASSIGN_OR_RETURN(const std::string every, y.Scalar(root["aggregate"], "aggregate"));
      Result<int64_t> every_ns = ParseDuration(every);
      if (!every_ns.ok() || *every_ns < kNanosPerSecond) {
        return y.Error(root["aggregate"],
                       "aggregate: the bucket width, at least 1s (1m, 1h, 1d): raw points are "
                       "never shared");
      }
      a.every_ns = *every_ns;
    }
    if (root["records"]) {
      if (!root["records"].IsSequence() || root["records"].size() == 0) {
        return y.Error(root["records"], "records: a list of {entity, fields, ...}");
      }
      for (const YAML::Node& n : root["records"]) {
        FH_ASSIGN_OR_RETURN(RecordShare r, ParseRecordShare(y, n));
        a.records.push_back(std::move(r));
      }
    }
    std::string functions = "mean";
    if (root["functions"]) {
      FH_ASSIGN_OR_RETURN(std::vector<std::string> list, y.Strings(root["functions"], "functions"));
      functions.clear();
      for (const std::string& f : list)
        functions += (functions.empty() ? "" : ",") + f;
    }
    Result<std::vector<Agg>> aggs = analytics::ParseAggList(functions);
    if (!aggs.ok()) return y.Error(root["functions"], "functions: " + aggs.status().message());
    a.functions = *aggs;
    auto instant = [&](const char* key, int64_t* out) -> Status {
      FH_ASSIGN_OR_RETURN(const std::string when, y.Scalar(root[key], key));
      Result<int64_t> t = ParseTimePoint(when, 0);
      if (!t.ok() || when.starts_with("now")) {
        return y.Error(root[key], fmt::format("{}: a date or RFC 3339 time, not '{}'", key, when));
      }
      *out = *t;
      return Status::Ok();
    };
    FH_RETURN_IF_ERROR(instant("from", &a.from_ns));
    FH_RETURN_IF_ERROR(instant("to", &a.to_ns));
    FH_RETURN_IF_ERROR(instant("expires", &a.expires_ns));
    if (a.to_ns <= a.from_ns) return y.Error(root["to"], "to: after from");
    if (root["pseudonymise"]) {
      FH_ASSIGN_OR_RETURN(std::vector<std::string> what,
                          y.Strings(root["pseudonymise"], "pseudonymise"));
      for (const std::string& w : what) {
        if (w != "tags") {
          return y.Error(root["pseudonymise"],
                         fmt::format("pseudonymise: '{}' (what can be: tags)", w));
        }
        a.pseudonymise_tags = true;
      }
    }
    a.store_as = "partner." + a.id;
    if (root["store_as"]) {
      FH_ASSIGN_OR_RETURN(a.store_as, y.Scalar(root["store_as"], "store_as"));
      if (a.store_as.empty()) return y.Error(root["store_as"], "store_as: a tag prefix");
    }
    return a;
  } catch (const YAML::Exception& e) {
    return y.FromException(e);
  }
}

Result<Agreement> Agreement::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("agreement {}: cannot be read", path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

}  // namespace fh::share
