#include "analytics/spc/spc_config.h"

#include <algorithm>
#include <array>
#include <span>

#include <yaml-cpp/yaml.h>

#include "analytics/definitions_file.h"

#include "common/time.h"

namespace fh::analytics::spc {
namespace {

constexpr std::array<std::string_view, 16> kKeys = {
    "name",     "tag",    "inspection", "equipment", "subgroup", "by",    "every", "chart",
    "baseline", "revise", "lsl",        "usl",       "target",   "rules", "ewma",  "cusum"};

struct Parameter {
  std::string_view name;
  double* value;
  bool (*valid)(double);
  const char* what;
};

// `KEY: true` (the defaults), `false`, or a mapping of the parameters to change.
Result<bool> ReadParameters(const std::string& file, const YAML::Node& node, const std::string& key,
                            std::span<const Parameter> parameters) {
  if (node.IsScalar()) return YamlAs<bool>(file, node, key, "true, false or a mapping");
  if (!node.IsMap()) return YamlError(file, node, key + ": true, false or a mapping");
  for (const auto& kv : node) {
    const std::string name = kv.first.as<std::string>();
    auto p = std::find_if(parameters.begin(), parameters.end(),
                          [&](const Parameter& q) { return q.name == name; });
    if (p == parameters.end()) {
      return YamlError(file, kv.first, fmt::format("unknown key '{}.{}'", key, name));
    }
    const std::string where = fmt::format("{}.{}", key, name);
    FH_ASSIGN_OR_RETURN(*p->value, YamlAs<double>(file, kv.second, where, "a number"));
    if (!p->valid(*p->value)) {
      return YamlError(file, kv.second,
                       fmt::format("{}: {} must be {}", where, *p->value, p->what));
    }
  }
  return true;
}

Result<Characteristic> ReadOne(const std::string& file, const YAML::Node& n, size_t index) {
  std::string where = fmt::format("characteristics[{}]", index);
  Characteristic c;
  FH_ASSIGN_OR_RETURN(c.name, ReadItemName(file, n, where, kKeys));
  SpcStudyOptions& s = c.study;
  if (n["tag"]) {
    FH_ASSIGN_OR_RETURN(s.tag, YamlAs<std::string>(file, n["tag"], "tag", "a text"));
  }
  if (n["inspection"]) {
    FH_ASSIGN_OR_RETURN(s.inspection,
                        YamlAs<std::string>(file, n["inspection"], "inspection", "a text"));
  }
  if (s.tag.empty() == s.inspection.empty()) {
    return YamlError(file, n,
                     fmt::format("characteristic '{}' needs a tag or an inspection (one)", c.name));
  }
  if (n["equipment"]) {
    if (s.inspection.empty())
      return YamlError(file, n["equipment"], "equipment goes with inspection");
    FH_ASSIGN_OR_RETURN(s.equipment,
                        YamlAs<std::string>(file, n["equipment"], "equipment", "a text"));
  }
  if (n["by"]) {
    FH_ASSIGN_OR_RETURN(std::string by, YamlAs<std::string>(file, n["by"], "by", "a text"));
    Result<GroupBy> parsed = ParseGroupBy(by);
    if (!parsed.ok()) return YamlError(file, n["by"], "by: " + parsed.status().message());
    s.group_by = *parsed;
    const bool tag = !s.tag.empty();
    if (tag && (s.group_by == GroupBy::kOrder || s.group_by == GroupBy::kRecorded)) {
      return YamlError(file, n["by"],
                       fmt::format("by: a tag's values are grouped by count or time, "
                                   "not {}",
                                   by));
    }
  }
  if (n["every"]) {
    if (s.group_by != GroupBy::kTime)
      return YamlError(file, n["every"], "every goes with by: time");
    FH_ASSIGN_OR_RETURN(std::string every,
                        YamlAs<std::string>(file, n["every"], "every", "a text"));
    Result<int64_t> d = ParseDuration(every);
    if (!d.ok() || *d <= 0) {
      return YamlError(file, n["every"],
                       fmt::format("every: '{}' is not a duration (1h, 15m)", every));
    }
    s.every_ns = *d;
  } else if (s.group_by == GroupBy::kTime) {
    return YamlError(file, n["by"], "by: time needs every (a duration: 1h, 15m)");
  }
  if (n["subgroup"]) {
    if (!s.inspection.empty() &&
        (s.group_by == GroupBy::kDefault || s.group_by == GroupBy::kRecorded)) {
      return YamlError(file, n["subgroup"],
                       "subgroup goes with tag, or with by: count, time or order (inspections are "
                       "otherwise grouped as recorded)");
    }
    FH_ASSIGN_OR_RETURN(s.subgroup_size, YamlAs<int>(file, n["subgroup"], "subgroup", "a count"));
    if (s.subgroup_size < 1 || s.subgroup_size > 1000) {
      return YamlError(file, n["subgroup"], "subgroup must be 1 to 1000");
    }
  }
  if (n["chart"]) {
    FH_ASSIGN_OR_RETURN(std::string chart,
                        YamlAs<std::string>(file, n["chart"], "chart", "a text"));
    if (chart == "auto") {
      s.chart = ChartKind::kAuto;
    } else if (chart == "i-mr") {
      s.chart = ChartKind::kIndividuals;
    } else if (chart == "xbar-r") {
      s.chart = ChartKind::kXbarR;
    } else if (chart == "xbar-s") {
      s.chart = ChartKind::kXbarS;
    } else if (std::optional<AttributeChart> a = ParseAttributeChart(chart)) {
      if (s.inspection.empty()) {
        return YamlError(
            file, n["chart"],
            fmt::format("chart: {} charts inspections' failed rows, not a tag", chart));
      }
      c.attribute = a;
    } else {
      return YamlError(
          file, n["chart"],
          fmt::format("chart: '{}' is not auto, i-mr, xbar-r, xbar-s, p, np, c or u", chart));
    }
  }
  if (n["baseline"]) {
    FH_ASSIGN_OR_RETURN(int baseline, YamlAs<int>(file, n["baseline"], "baseline", "a count"));
    if (baseline < 2) return YamlError(file, n["baseline"], "baseline: at least 2 subgroups");
    s.baseline = static_cast<size_t>(baseline);
  }
  if (n["revise"]) {
    FH_ASSIGN_OR_RETURN(s.revise, YamlAs<bool>(file, n["revise"], "revise", "true or false"));
  }
  if (n["lsl"]) {
    FH_ASSIGN_OR_RETURN(s.spec.lower, YamlAs<double>(file, n["lsl"], "lsl", "a number"));
  }
  if (n["usl"]) {
    FH_ASSIGN_OR_RETURN(s.spec.upper, YamlAs<double>(file, n["usl"], "usl", "a number"));
  }
  if (n["target"]) {
    FH_ASSIGN_OR_RETURN(s.spec.target, YamlAs<double>(file, n["target"], "target", "a number"));
  }
  if (s.spec.lower && s.spec.upper && *s.spec.lower >= *s.spec.upper) {
    return YamlError(file, n["lsl"], "lsl must be below usl");
  }
  if (n["rules"]) {
    // "nelson" or "we" (every rule of the set), or a list of rules of one set:
    // [nelson-1, nelson-2, nelson-5].
    const YAML::Node rules = n["rules"];
    std::vector<std::string> names;
    if (rules.IsSequence()) {
      for (const auto& r : rules) {
        FH_ASSIGN_OR_RETURN(std::string name, YamlAs<std::string>(file, r, "rules", "a rule"));
        names.push_back(std::move(name));
      }
      if (names.empty()) return YamlError(file, rules, "rules: an empty list checks nothing");
    } else {
      FH_ASSIGN_OR_RETURN(std::string name, YamlAs<std::string>(file, rules, "rules", "a text"));
      names.push_back(std::move(name));
    }
    std::optional<RuleSet> set;
    for (const std::string& name : names) {
      const bool nelson = name.starts_with("nelson");
      const bool we = name.starts_with("we");
      if (!nelson && !we) {
        return YamlError(file, rules,
                         fmt::format("rules: '{}' is not nelson, we, nelson-N or we-N", name));
      }
      const RuleSet this_set = nelson ? RuleSet::kNelson : RuleSet::kWesternElectric;
      if (set && *set != this_set) {
        return YamlError(file, rules, "rules: one set at a time (nelson or we)");
      }
      set = this_set;
      const std::string_view prefix = nelson ? "nelson" : "we";
      if (name.size() == prefix.size()) {
        if (names.size() > 1) return YamlError(file, rules, "rules: a whole set or numbered rules");
        continue;
      }
      const std::string number = name.substr(prefix.size());
      const int max = nelson ? 8 : 4;
      if (number.size() != 2 || number[0] != '-' || number[1] < '1' || number[1] > '0' + max) {
        return YamlError(
            file, rules,
            fmt::format("rules: '{}' is not a rule ({}-1 to {}-{})", name, prefix, prefix, max));
      }
      s.enabled_rules.push_back(number[1] - '0');
    }
    s.rules = *set;
  }
  if (n["ewma"]) {
    EwmaParameters e;
    const Parameter parameters[] = {
        {"lambda", &e.lambda, [](double v) { return v > 0 && v <= 1; }, "in (0, 1]"},
        {"width", &e.width, [](double v) { return v > 0; }, "positive"}};
    FH_ASSIGN_OR_RETURN(bool on, ReadParameters(file, n["ewma"], "ewma", parameters));
    if (on) c.ewma = e;
  }
  if (n["cusum"]) {
    CusumParameters u;
    const Parameter parameters[] = {{"k", &u.k, [](double v) { return v >= 0; }, "0 or more"},
                                    {"h", &u.h, [](double v) { return v > 0; }, "positive"}};
    FH_ASSIGN_OR_RETURN(bool on, ReadParameters(file, n["cusum"], "cusum", parameters));
    if (on) c.cusum = u;
  }
  if (c.attribute) {
    // Judged by the limits around each subgroup, as the attribute study judges it.
    for (const char* key :
         {"by", "subgroup", "revise", "rules", "ewma", "cusum", "lsl", "usl", "target"}) {
      if (n[key]) {
        return YamlError(file, n[key],
                         fmt::format("{} does not go with an attribute chart ({}): its subgroups "
                                     "are as recorded, judged by their limits",
                                     key, AttributeChartName(*c.attribute)));
      }
    }
  }
  return c;
}

}  // namespace

Status RefuseAttribute(const Characteristic& c) {
  if (!c.attribute) return Status::Ok();
  return InvalidArgument(
      "'{}' is an attribute characteristic ({} chart of failed inspections): `factoryhub spc "
      "attribute --characteristic {}` charts it",
      c.name, AttributeChartName(*c.attribute), c.name);
}

const Characteristic* SpcConfig::Find(std::string_view name) const {
  for (const Characteristic& c : characteristics) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Result<SpcConfig> SpcConfig::Parse(const std::string& yaml, const std::string& file) {
  SpcConfig config;
  FH_ASSIGN_OR_RETURN(config.characteristics,
                      ReadDefinitions<Characteristic>(
                          yaml, file, "characteristics", "characteristic",
                          [&](const YAML::Node& n, size_t i) { return ReadOne(file, n, i); }));
  return config;
}

Result<SpcConfig> SpcConfig::Load(const std::string& path) {
  FH_ASSIGN_OR_RETURN(std::optional<std::string> text,
                      ReadDefinitionsFile(path, "SPC characteristics"));
  if (!text) return SpcConfig{};
  return Parse(*text, path);
}

}  // namespace fh::analytics::spc
