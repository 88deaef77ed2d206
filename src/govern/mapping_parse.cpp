// Parsing a mapping's YAML into govern::Mapping. yaml-cpp reports errors by exception:
// they are caught here and turned into Status values that say file:line:column.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "common/time.h"
#include "govern/entity_schema.h"
#include "govern/mapping.h"
#include "govern/rule_parse.h"
#include "govern/yaml_reader.h"

namespace fh::govern {

namespace {

class Parser : public YamlReader {
 public:
  Parser(std::string display_name, std::string base_dir)
      : YamlReader(std::move(display_name)), base_dir_(std::move(base_dir)) {}

  Result<FieldMapping> Field(const std::string& target, const YAML::Node& node,
                             bool attribute = false) const {
    FieldMapping f;
    f.target = target;
    f.mark = {node.Mark().line + 1, node.Mark().column + 1};
    const std::string where = fmt::format("{} '{}'", attribute ? "attribute" : "field", target);
    // Shorthand: `code: MATNR` takes the column as is.
    if (node.IsScalar()) {
      f.from.push_back(node.Scalar());
      return f;
    }
    FH_RETURN_IF_ERROR(CheckKeys(
        node, where, {"from",      "value",         "expr",        "separator", "split",    "part",
                      "trim",      "case",          "null_values", "default",   "template", "map",
                      "unmapped",  "decimal_comma", "unit",        "unit_from", "to",       "round",
                      "format",    "zone",          "lookup",      "unit_map",  "personal", "type",
                      "ambiguous", "nonexistent"}));
    if (node["ambiguous"]) {
      FH_ASSIGN_OR_RETURN(std::string a, Scalar(node["ambiguous"], where + ": ambiguous"));
      if (a == "infer") {
        f.ambiguous = AmbiguousTime::kInfer;
      } else if (a == "earlier") {
        f.ambiguous = AmbiguousTime::kEarlier;
      } else if (a == "later") {
        f.ambiguous = AmbiguousTime::kLater;
      } else if (a == "reject") {
        f.ambiguous = AmbiguousTime::kReject;
      } else {
        return Error(node["ambiguous"],
                     where + ": ambiguous must be infer, earlier, later or reject");
      }
    }
    if (node["nonexistent"]) {
      FH_ASSIGN_OR_RETURN(std::string n, Scalar(node["nonexistent"], where + ": nonexistent"));
      if (n == "reject") {
        f.nonexistent = NonexistentTime::kReject;
      } else if (n == "shift") {
        f.nonexistent = NonexistentTime::kShift;
      } else {
        return Error(node["nonexistent"], where + ": nonexistent must be reject or shift");
      }
    }
    if (node["type"] && !attribute) {
      return Error(node["type"],
                   where + ": 'type' is for attributes (the entity's fields have theirs)");
    }
    if (node["type"]) {
      FH_ASSIGN_OR_RETURN(std::string t, Scalar(node["type"], where + ": type"));
      static constexpr std::pair<std::string_view, FieldType> kTypes[] = {
          {"text", FieldType::kText},
          {"real", FieldType::kReal},
          {"int", FieldType::kInt},
          {"time", FieldType::kTime},
          {"bool", FieldType::kBool}};
      const auto* it = std::find_if(std::begin(kTypes), std::end(kTypes),
                                    [&](const auto& kv) { return kv.first == t; });
      if (it == std::end(kTypes)) {
        return Error(node["type"], where + ": type must be text, real, int, time or bool");
      }
      f.attribute_type = it->second;
    }
    if (node["personal"]) {
      FH_ASSIGN_OR_RETURN(f.personal, Bool(node["personal"], where + ": personal"));
    }
    int sources = 0;
    if (node["from"]) {
      FH_ASSIGN_OR_RETURN(f.from, Strings(node["from"], where + ": from"));
      ++sources;
    }
    if (node["value"]) {
      FH_ASSIGN_OR_RETURN(f.constant, Scalar(node["value"], where + ": value"));
      ++sources;
    }
    if (node["expr"]) {
      FH_ASSIGN_OR_RETURN(f.expr, Scalar(node["expr"], where + ": expr"));
      ++sources;
    }
    if (sources > 1) return Error(node, where + ": give only one of from, value, expr");
    if (sources == 0 && !node["default"]) {
      return Error(node, where + ": needs a source (from, value or expr) or a default");
    }
    if (node["separator"]) {
      FH_ASSIGN_OR_RETURN(f.separator, Scalar(node["separator"], where));
    }
    if (node["split"]) {
      FH_ASSIGN_OR_RETURN(f.split, Scalar(node["split"], where + ": split"));
    }
    if (node["part"]) {
      FH_ASSIGN_OR_RETURN(double p, Number(node["part"], where + ": part"));
      f.part = static_cast<int>(p);
    }
    if (node["trim"]) {
      FH_ASSIGN_OR_RETURN(f.trim, Bool(node["trim"], where + ": trim"));
    }
    if (node["case"]) {
      FH_ASSIGN_OR_RETURN(std::string c, Scalar(node["case"], where + ": case"));
      if (c == "upper") {
        f.letter_case = LetterCase::kUpper;
      } else if (c == "lower") {
        f.letter_case = LetterCase::kLower;
      } else if (c != "keep") {
        return Error(node["case"], where + ": case must be upper, lower or keep");
      }
    }
    if (node["null_values"]) {
      FH_ASSIGN_OR_RETURN(f.null_values, Strings(node["null_values"], where + ": null_values"));
    }
    if (node["default"]) {
      FH_ASSIGN_OR_RETURN(f.default_value, Scalar(node["default"], where + ": default"));
    }
    if (node["template"]) {
      FH_ASSIGN_OR_RETURN(f.template_text, Scalar(node["template"], where + ": template"));
      if (f.template_text.find("{value}") == std::string::npos) {
        return Error(node["template"], where + ": template must contain {value}");
      }
    }
    if (node["map"]) {
      const YAML::Node& m = node["map"];
      if (!m.IsMap()) return Error(m, where + ": map: expected code: value pairs");
      for (const auto& kv : m) {
        FH_ASSIGN_OR_RETURN(std::string to, Scalar(kv.second, where + ": map"));
        f.code_table[kv.first.as<std::string>()] = std::move(to);
      }
    }
    if (node["unmapped"]) {
      // `unmapped: null` is YAML's null, not the text "null".
      std::string u = "null";
      if (!node["unmapped"].IsNull()) {
        FH_ASSIGN_OR_RETURN(u, Scalar(node["unmapped"], where + ": unmapped"));
      }
      if (u == "reject") {
        f.unmapped = Unmapped::kReject;
      } else if (u == "keep") {
        f.unmapped = Unmapped::kKeep;
      } else if (u == "null") {
        f.unmapped = Unmapped::kNull;
      } else {
        return Error(node["unmapped"], where + ": unmapped must be reject, keep or null");
      }
    }
    if (node["decimal_comma"]) {
      FH_ASSIGN_OR_RETURN(bool dc, Bool(node["decimal_comma"], where + ": decimal_comma"));
      f.decimal_comma = dc ? ',' : 0;
    }
    if (node["unit"]) {
      FH_ASSIGN_OR_RETURN(f.unit, Scalar(node["unit"], where + ": unit"));
    }
    if (node["unit_from"]) {
      FH_ASSIGN_OR_RETURN(f.unit_from, Scalar(node["unit_from"], where + ": unit_from"));
    }
    if (!f.unit.empty() && !f.unit_from.empty()) {
      return Error(node, where + ": give unit or unit_from, not both");
    }
    if (node["to"]) {
      FH_ASSIGN_OR_RETURN(f.to_unit, Scalar(node["to"], where + ": to"));
    }
    if (node["unit_map"]) {
      const YAML::Node& um = node["unit_map"];
      if (!um.IsMap()) return Error(um, where + ": unit_map: expected code: unit pairs");
      if (f.unit_from.empty()) {
        return Error(um, where + ": unit_map needs unit_from (the column holding the code)");
      }
      for (const auto& kv : um) {
        FH_ASSIGN_OR_RETURN(std::string unit, Scalar(kv.second, where + ": unit_map"));
        f.unit_map[kv.first.as<std::string>()] = std::move(unit);
      }
    }
    if (!f.to_unit.empty() && f.unit.empty() && f.unit_from.empty()) {
      return Error(node["to"], where + ": 'to' needs the source's unit (unit or unit_from)");
    }
    if (node["round"]) {
      FH_ASSIGN_OR_RETURN(double digits, Number(node["round"], where + ": round"));
      if (digits < 0 || digits > 15 || digits != static_cast<int>(digits)) {
        return Error(node["round"], where + ": round takes 0..15 decimals");
      }
      f.round_digits = static_cast<int>(digits);
    }
    if (node["format"]) {
      FH_ASSIGN_OR_RETURN(f.time_format, Scalar(node["format"], where));
    }
    if (node["zone"]) {
      FH_ASSIGN_OR_RETURN(f.time_zone, Scalar(node["zone"], where + ": zone"));
    }
    if (node["lookup"]) {
      FH_ASSIGN_OR_RETURN(f.lookup_system, Scalar(node["lookup"], where + ": lookup"));
    }
    return f;
  }

  Status Rules(const YAML::Node& list, std::vector<RuleSpec>* out) const {
    if (!list.IsSequence()) return Error(list, "rules: expected a list");
    for (const auto& item : list) {
      FH_ASSIGN_OR_RETURN(RuleSpec r, ParseRule(*this, item));
      out->push_back(std::move(r));
    }
    return Status::Ok();
  }

  Status Source(const YAML::Node& node, Mapping* m) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "source",
                                 {"system", "object", "format", "encoding", "delimiter", "header",
                                  "sheet", "time_zone", "null_values"}));
    if (!node["system"]) return Error(node, "source: missing 'system' (erp, mes, crm, ...)");
    FH_ASSIGN_OR_RETURN(m->source_system, Scalar(node["system"], "source: system"));
    if (node["object"]) {
      FH_ASSIGN_OR_RETURN(m->source_object, Scalar(node["object"], "object"));
    }
    if (node["format"]) {
      FH_ASSIGN_OR_RETURN(m->reader.format, Scalar(node["format"], "format"));
    }
    if (node["encoding"]) {
      FH_ASSIGN_OR_RETURN(m->reader.encoding, Scalar(node["encoding"], "source: encoding"));
    }
    if (node["delimiter"]) {
      FH_ASSIGN_OR_RETURN(std::string d, Scalar(node["delimiter"], "source: delimiter"));
      if (d == "\\t" || d == "tab") d = "\t";
      if (d == "whitespace") d = std::string(1, ingest::kWhitespaceDelimiter);
      if (d.size() != 1) {
        return Error(node["delimiter"],
                     "source: delimiter must be one character, tab or whitespace (runs of blanks)");
      }
      m->reader.delimiter = d[0];
    }
    if (node["header"]) {
      FH_ASSIGN_OR_RETURN(m->reader.header, Bool(node["header"], "header"));
    }
    if (node["sheet"]) {
      FH_ASSIGN_OR_RETURN(m->reader.sheet, Scalar(node["sheet"], "sheet"));
    }
    if (node["time_zone"]) {
      FH_ASSIGN_OR_RETURN(m->time_zone, Scalar(node["time_zone"], "source: time_zone"));
    }
    if (node["null_values"]) {
      FH_ASSIGN_OR_RETURN(m->null_values, Strings(node["null_values"], "source: null_values"));
    }
    return Status::Ok();
  }

  Status Samples(const YAML::Node& node, Mapping* m) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "samples", {"timestamp", "signals", "conflicts"}));
    SamplesMapping s;
    if (node["conflicts"]) {
      FH_ASSIGN_OR_RETURN(std::string c, Scalar(node["conflicts"], "samples: conflicts"));
      if (c != "reject" && c != "last") {
        return Error(node["conflicts"], "samples: conflicts must be reject or last");
      }
      s.conflicts_last = c == "last";
    }
    if (!node["timestamp"]) return Error(node, "samples: missing 'timestamp'");
    FH_ASSIGN_OR_RETURN(s.timestamp, Field("timestamp", node["timestamp"]));
    const YAML::Node& signals = node["signals"];
    if (!signals || !signals.IsSequence() || signals.size() == 0) {
      return Error(node, "samples: 'signals' must be a non-empty list");
    }
    for (const auto& item : signals) {
      FH_RETURN_IF_ERROR(CheckKeys(item, "signal", {"tag", "value", "quality", "unit", "rules"}));
      SignalMapping sig;
      if (!item["tag"] || !item["value"]) return Error(item, "signal: needs 'tag' and 'value'");
      FH_ASSIGN_OR_RETURN(sig.tag_template, Scalar(item["tag"], "signal: tag"));
      FH_ASSIGN_OR_RETURN(sig.value, Field("value", item["value"]));
      if (item["quality"]) {
        FH_ASSIGN_OR_RETURN(sig.quality, Field("quality", item["quality"]));
      }
      sig.unit = !sig.value.to_unit.empty() ? sig.value.to_unit : sig.value.unit;
      if (item["unit"]) {
        FH_ASSIGN_OR_RETURN(sig.unit, Scalar(item["unit"], "signal: unit"));
      }
      if (item["rules"]) {
        FH_RETURN_IF_ERROR(Rules(item["rules"], &sig.rules));
        for (size_t i = 0; i < sig.rules.size(); ++i) {
          // The default id names the signal: two signals' range rules stay apart in reports.
          if (!item["rules"][i]["id"]) {
            sig.rules[i].id = fmt::format("{}:{}", sig.rules[i].id, sig.tag_template);
          }
        }
      }
      s.signals.push_back(std::move(sig));
    }
    m->samples = std::move(s);
    return Status::Ok();
  }

  Status Attributes(const YAML::Node& node, Mapping* m) const {
    if (!node.IsMap()) return Error(node, "attributes: expected name: source pairs");
    for (const auto& kv : node) {
      const std::string name = kv.first.as<std::string>();
      const bool word = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                        std::all_of(name.begin(), name.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                        });
      if (!word) {
        return Error(kv.first, fmt::format("attribute '{}': a name of letters, digits and '_' "
                                           "(it is used in rules and `records --where`)",
                                           name));
      }
      for (const FieldMapping& existing : m->attributes) {
        if (existing.target == name)
          return Error(kv.first, fmt::format("attribute '{}' declared twice", name));
      }
      FH_ASSIGN_OR_RETURN(FieldMapping f, Field(name, kv.second, /*attribute=*/true));
      m->attributes.push_back(std::move(f));
    }
    return Status::Ok();
  }

  Status CheckAgainstEntity(const YAML::Node& root, Mapping* m) const {
    const EntityDef* def = FindEntity(m->entity);
    if (!def) {
      return Error(root["entity"],
                   fmt::format("unknown entity '{}' (allowed: {})", m->entity, EntityNames()));
    }
    for (const FieldMapping& f : m->fields) {
      const FieldDef* fd = def->FindField(f.target);
      if (!fd) {
        std::string names;
        for (const FieldDef& d : def->fields)
          names += (names.empty() ? "" : ", ") + std::string(d.name);
        return InvalidArgument("{}:{}:{}: {} has no field '{}' (fields: {})", name_, f.mark.line,
                               f.mark.column, m->entity, f.target, names);
      }
      if (!f.lookup_system.empty() && fd->type != FieldType::kRef) {
        return InvalidArgument("{}:{}:{}: field '{}': lookup works on references only", name_,
                               f.mark.line, f.mark.column, f.target);
      }
    }
    for (const FieldDef& fd : def->fields) {
      if (!fd.required || !fd.default_value.empty()) continue;
      const bool mapped = std::any_of(m->fields.begin(), m->fields.end(),
                                      [&](const FieldMapping& f) { return f.target == fd.name; });
      if (!mapped) {
        return Error(root["fields"],
                     fmt::format("{}: required field '{}' is not mapped", m->entity, fd.name));
      }
    }
    if (!m->attributes.empty() && def->name == "crosswalk") {
      return Error(root["attributes"], fmt::format("{} records take no attributes", def->name));
    }
    for (const FieldMapping& a : m->attributes) {
      if (def->FindField(a.target)) {
        return InvalidArgument("{}:{}:{}: attribute '{}' is a field of {}: map it under fields",
                               name_, a.mark.line, a.mark.column, a.target, m->entity);
      }
    }
    const std::vector<FieldDef> record = RecordFields(*def, *m);
    if (!m->version_field.empty()) {
      const std::optional<size_t> v = FindRecordField(record, m->version_field);
      if (!v) {
        return Error(root["version"], fmt::format("version: {} has no field or attribute '{}'",
                                                  m->entity, m->version_field));
      }
      const FieldType t = record[*v].type;
      if (t != FieldType::kTime && t != FieldType::kReal && t != FieldType::kInt) {
        return Error(root["version"],
                     fmt::format("version: '{}' is {}; a version is a time or a number",
                                 m->version_field, ToString(t)));
      }
      if (def->name == "asset" || def->name == "crosswalk") {
        return Error(root["version"], fmt::format("{} records have no version", def->name));
      }
    }
    for (const RuleSpec& r : m->rules) {
      for (const std::string& f : r.fields) {
        if (!FindRecordField(record, f)) {
          return InvalidArgument(
              "{}:{}: rule '{}': {} has no field '{}' (and the mapping no "
              "attribute of that name)",
              name_, r.line, r.id, m->entity, f);
        }
      }
      if (!r.per.empty() && !FindRecordField(record, r.per)) {
        return InvalidArgument("{}:{}: rule '{}': {} has no field '{}'", name_, r.line, r.id,
                               m->entity, r.per);
      }
    }
    return Status::Ok();
  }

  Result<Mapping> Parse(const std::string& text) const {
    FH_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, name_));
    try {
      return ParseRoot(root, text);
    } catch (const YAML::Exception& e) {
      return FromException(e);
    }
  }

  Result<Mapping> ParseRoot(const YAML::Node& root, const std::string& text) const {
    FH_RETURN_IF_ERROR(CheckKeys(root, "mapping",
                                 {"mapping", "description", "source", "entity", "fields", "samples",
                                  "external_id", "attributes", "rules", "rules_file", "version"}));
    Mapping m;
    m.text = text;
    if (!root["mapping"]) return Error(root, "missing 'mapping' (the mapping's name)");
    FH_ASSIGN_OR_RETURN(m.name, Scalar(root["mapping"], "mapping"));
    if (m.name.empty() || m.name.find_first_of("@/ ") != std::string::npos) {
      return Error(root["mapping"], "mapping: a name without '@', '/' or spaces");
    }
    if (!root["source"]) return Error(root, "missing 'source'");
    FH_RETURN_IF_ERROR(Source(root["source"], &m));
    if (!root["entity"]) return Error(root, "missing 'entity' (what the records become)");
    FH_ASSIGN_OR_RETURN(m.entity, Scalar(root["entity"], "entity"));
    if (root["rules"]) FH_RETURN_IF_ERROR(Rules(root["rules"], &m.rules));
    if (root["rules_file"]) {
      FH_ASSIGN_OR_RETURN(std::string rel, Scalar(root["rules_file"], "rules_file"));
      const std::string path = (std::filesystem::path(base_dir_) / rel).string();
      std::ifstream in(path, std::ios::binary);
      if (!in) return Error(root["rules_file"], fmt::format("cannot read rules file '{}'", path));
      std::stringstream ss;
      ss << in.rdbuf();
      Parser sub(path, base_dir_);
      FH_ASSIGN_OR_RETURN(YAML::Node rules, LoadYaml(ss.str(), path));
      const YAML::Node list = rules.IsMap() && rules["rules"] ? rules["rules"] : rules;
      FH_RETURN_IF_ERROR(sub.Rules(list, &m.rules));
      m.text += "\n# rules_file " + rel + "\n" + ss.str();  // a rules change is a new version
    }
    if (m.entity == "samples") {
      if (root["fields"])
        return Error(root["fields"], "samples mappings use 'samples:', not 'fields:'");
      if (!root["samples"]) return Error(root, "entity samples needs 'samples:'");
      FH_RETURN_IF_ERROR(Samples(root["samples"], &m));
      if (root["external_id"]) return Error(root["external_id"], "samples have no external id");
      if (root["attributes"]) {
        return Error(root["attributes"], "samples have no attributes (a signal is its own tag)");
      }
      if (root["version"]) {
        return Error(root["version"], "samples have no version (a sample is its time)");
      }
      return m;
    }
    if (root["samples"]) return Error(root["samples"], "'samples:' needs entity: samples");
    const YAML::Node& fields = root["fields"];
    if (!fields || !fields.IsMap())
      return Error(root, "missing 'fields' (canonical field: source)");
    for (const auto& kv : fields) {
      const std::string target = kv.first.as<std::string>();
      for (const FieldMapping& existing : m.fields) {
        if (existing.target == target)
          return Error(kv.first, fmt::format("field '{}' mapped twice", target));
      }
      FH_ASSIGN_OR_RETURN(FieldMapping f, Field(target, kv.second));
      m.fields.push_back(std::move(f));
    }
    if (root["external_id"]) {
      FH_ASSIGN_OR_RETURN(m.external_id, Field("external_id", root["external_id"]));
    }
    if (root["attributes"]) FH_RETURN_IF_ERROR(Attributes(root["attributes"], &m));
    if (root["version"]) {
      FH_ASSIGN_OR_RETURN(m.version_field, Scalar(root["version"], "version"));
    }
    FH_RETURN_IF_ERROR(CheckAgainstEntity(root, &m));
    return m;
  }

 private:
  std::string base_dir_;
};

}  // namespace

Result<Mapping> ParseMapping(const std::string& text, const std::string& display_name,
                             const std::string& base_dir) {
  return Parser(display_name, base_dir).Parse(text);
}

Result<Mapping> LoadMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("mapping file '{}' cannot be read", path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::filesystem::path p(path);
  FH_ASSIGN_OR_RETURN(Mapping m, ParseMapping(ss.str(), path, p.parent_path().string()));
  m.path = path;
  return m;
}

}  // namespace fh::govern

namespace fh::govern {

std::vector<FieldDef> RecordFields(const EntityDef& entity, const Mapping& mapping) {
  std::vector<FieldDef> fields = entity.fields;
  for (const FieldMapping& a : mapping.attributes) {
    FieldDef def;
    def.name = a.target;
    def.type = a.attribute_type;
    fields.push_back(def);
  }
  return fields;
}

std::optional<size_t> FindRecordField(const std::vector<FieldDef>& fields, std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace fh::govern
