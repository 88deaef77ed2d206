#include "govern/rule_parse.h"

#include "common/time.h"

namespace fh::govern {

Result<RuleSpec> ParseRule(const YamlReader& yaml, const YAML::Node& node,
                           std::string_view default_field) {
  FH_RETURN_IF_ERROR(
      yaml.CheckKeys(node, "rule",
                     {"rule", "id", "field", "fields", "severity", "min", "max", "pattern",
                      "values", "per", "max_age", "max_change", "op", "other"}));
  RuleSpec r;
  r.line = node.Mark().line + 1;
  if (!node["rule"]) return yaml.Error(node, "rule: missing 'rule' (its kind)");
  FH_ASSIGN_OR_RETURN(std::string kind, yaml.Scalar(node["rule"], "rule"));
  const std::optional<CheckKind> k = ParseRuleKind(kind);
  if (!k) {
    return yaml.Error(node["rule"],
                      fmt::format("unknown rule '{}' (allowed: not_null, unique, range, regex, "
                                  "in_set, reference, monotonic, freshness, compare, "
                                  "row_count_change)",
                                  kind));
  }
  r.kind = *k;
  const std::string where = fmt::format("rule '{}'", kind);
  if (node["field"]) {
    FH_ASSIGN_OR_RETURN(std::string f, yaml.Scalar(node["field"], where + ": field"));
    r.fields.push_back(std::move(f));
  }
  if (node["fields"]) {
    FH_ASSIGN_OR_RETURN(r.fields, yaml.Strings(node["fields"], where + ": fields"));
  }
  if (r.fields.empty() && !default_field.empty()) r.fields.emplace_back(default_field);
  if (r.fields.empty() && r.kind != CheckKind::kRowCountChange) {
    return yaml.Error(node, where + ": needs 'field' (or 'fields')");
  }
  if (r.fields.size() > 1 && r.kind != CheckKind::kUnique) {
    return yaml.Error(node, where + ": takes one field");
  }
  if (node["severity"]) {
    FH_ASSIGN_OR_RETURN(std::string s, yaml.Scalar(node["severity"], where + ": severity"));
    if (s == "warn") {
      r.severity = Severity::kWarn;
    } else if (s != "reject") {
      return yaml.Error(node["severity"], where + ": severity must be reject or warn");
    }
  }
  for (const char* bound : {"min", "max"}) {
    const YAML::Node& b = node[bound];
    if (!b) continue;
    FH_ASSIGN_OR_RETURN(std::string text, yaml.Scalar(b, where));
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    std::optional<double>& num = bound[1] == 'i' ? r.min : r.max;
    std::optional<int64_t>& time = bound[1] == 'i' ? r.min_time : r.max_time;
    if (!text.empty() && *end == '\0') {
      num = v;
    } else {
      Result<int64_t> t = ParseRfc3339(text);
      if (!t.ok()) {
        return yaml.Error(b, fmt::format("{}: {} must be a number or an RFC 3339 time: '{}'", where,
                                         bound, text));
      }
      time = *t;
    }
  }
  if (r.kind == CheckKind::kRange && !r.min && !r.max && !r.min_time && !r.max_time) {
    return yaml.Error(node, where + ": needs min or max");
  }
  if (node["pattern"]) {
    FH_ASSIGN_OR_RETURN(r.pattern, yaml.Scalar(node["pattern"], where));
  }
  if (r.kind == CheckKind::kRegex && r.pattern.empty()) {
    return yaml.Error(node, where + ": needs a pattern");
  }
  if (node["values"]) {
    FH_ASSIGN_OR_RETURN(r.values, yaml.Strings(node["values"], where + ": values"));
  }
  if (r.kind == CheckKind::kInSet && r.values.empty()) {
    return yaml.Error(node, where + ": needs values");
  }
  if (node["per"]) {
    FH_ASSIGN_OR_RETURN(r.per, yaml.Scalar(node["per"], where + ": per"));
  }
  if (node["max_age"]) {
    FH_ASSIGN_OR_RETURN(std::string age, yaml.Scalar(node["max_age"], where + ": max_age"));
    Result<int64_t> d = ParseDuration(age);
    if (!d.ok()) return yaml.Error(node["max_age"], where + ": max_age: " + d.status().message());
    r.max_age_ns = *d;
  }
  if (r.kind == CheckKind::kFreshness && r.max_age_ns <= 0) {
    return yaml.Error(node, where + ": needs max_age (e.g. 2d)");
  }
  if (node["max_change"]) {
    FH_ASSIGN_OR_RETURN(r.max_change, yaml.Number(node["max_change"], where + ": max_change"));
  }
  if (node["op"]) {
    FH_ASSIGN_OR_RETURN(r.op, yaml.Scalar(node["op"], where + ": op"));
  }
  if (node["other"]) {
    FH_ASSIGN_OR_RETURN(r.other, yaml.Scalar(node["other"], where + ": other"));
  }
  if (r.kind == CheckKind::kCompare) {
    if (r.other.empty())
      return yaml.Error(node, where + ": needs 'other' (the field to compare with)");
    if (r.op != "<" && r.op != "<=" && r.op != ">" && r.op != ">=" && r.op != "==" &&
        r.op != "!=") {
      return yaml.Error(node["op"] ? node["op"] : node,
                        where + ": op must be one of < <= > >= == != (quoted in YAML: \">=\")");
    }
  }
  if (r.kind == CheckKind::kRowCountChange && r.severity == Severity::kReject) {
    return yaml.Error(node, where + ": a batch-level rule can only warn (severity: warn)");
  }
  r.id = node["id"] ? node["id"].as<std::string>() : std::string();
  if (r.id.empty()) {
    r.id = std::string(kind);
    for (const std::string& f : r.fields)
      r.id += (&f == &r.fields[0] ? ":" : ",") + f;
  }
  return r;
}

}  // namespace fh::govern
