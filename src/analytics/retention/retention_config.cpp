#include "analytics/retention/retention_config.h"

#include <algorithm>

#include "analytics/definitions_file.h"
#include "common/glob.h"

namespace fh::analytics::retention {

namespace config_detail {

constexpr std::string_view kKeys[] = {"name", "tags", "raw", "rollup", "aggregates", "rollups"};
constexpr std::string_view kAggregates[] = {"mean", "min", "max", "sum", "count"};

Result<int64_t> DurationOf(const std::string& file, const YAML::Node& n, const std::string& where) {
  FH_ASSIGN_OR_RETURN(std::string text, YamlAs<std::string>(file, n, where, "a duration"));
  Result<int64_t> d = ParseDuration(text);
  if (!d.ok()) return YamlError(file, n, fmt::format("{}: {}", where, d.status().message()));
  return d;
}

Result<std::vector<std::string>> Texts(const std::string& file, const YAML::Node& n,
                                       const std::string& where) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (const YAML::Node& item : n) {
      FH_ASSIGN_OR_RETURN(std::string text, YamlAs<std::string>(file, item, where, "a text"));
      out.push_back(std::move(text));
    }
  } else {
    return YamlError(file, n, where + ": a text or a list of texts");
  }
  if (out.empty()) return YamlError(file, n, where + " is empty");
  return out;
}

Result<RetentionPolicy> ReadOne(const std::string& file, const YAML::Node& n, size_t index) {
  RetentionPolicy p;
  FH_ASSIGN_OR_RETURN(p.name, ReadItemName(file, n, fmt::format("policies[{}]", index), kKeys));
  const std::string where = fmt::format("policy '{}'", p.name);
  if (!n["tags"]) return YamlError(file, n, where + " needs tags (a glob or a list of globs)");
  FH_ASSIGN_OR_RETURN(p.tags, Texts(file, n["tags"], where + ".tags"));
  if (!n["raw"])
    return YamlError(file, n, where + " needs raw: how long raw points are kept (e.g. 30d)");
  FH_ASSIGN_OR_RETURN(p.raw_ns, DurationOf(file, n["raw"], where + ".raw"));
  if (n["rollup"]) {
    FH_ASSIGN_OR_RETURN(p.rollup_ns, DurationOf(file, n["rollup"], where + ".rollup"));
    if (p.rollup_ns > p.raw_ns)
      return YamlError(file, n["rollup"],
                       where + ".rollup is longer than raw: nothing would be rolled up whole");
    p.aggregates = {"mean", "min", "max"};
  }
  if (n["aggregates"]) {
    if (!p.rollup_ns)
      return YamlError(file, n["aggregates"], where + ".aggregates needs a rollup interval");
    FH_ASSIGN_OR_RETURN(p.aggregates, Texts(file, n["aggregates"], where + ".aggregates"));
    for (const std::string& a : p.aggregates) {
      if (std::find(std::begin(kAggregates), std::end(kAggregates), a) == std::end(kAggregates))
        return YamlError(
            file, n["aggregates"],
            fmt::format("{}.aggregates: '{}' is none of mean, min, max, sum, count", where, a));
    }
  }
  // count is kept with every rollup: a late point's rollup merges into the one before.
  std::erase(p.aggregates, "count");
  if (n["rollups"]) {
    if (!p.rollup_ns)
      return YamlError(file, n["rollups"], where + ".rollups needs a rollup interval");
    FH_ASSIGN_OR_RETURN(p.rollups_ns, DurationOf(file, n["rollups"], where + ".rollups"));
  }
  return p;
}

}  // namespace config_detail

bool RetentionPolicy::Covers(std::string_view tag) const {
  return std::any_of(tags.begin(), tags.end(),
                     [&](const std::string& g) { return GlobMatch(g, tag); });
}

std::string RetentionPolicy::RollupTag(std::string_view tag, std::string_view aggregate) const {
  return fmt::format("{}:{}_{}", tag, aggregate, FormatDuration(rollup_ns));
}

bool IsRollupTag(std::string_view tag) {
  const size_t colon = tag.rfind(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view suffix = tag.substr(colon + 1);
  const size_t underscore = suffix.find('_');
  if (underscore == std::string_view::npos) return false;
  const std::string_view aggregate = suffix.substr(0, underscore);
  return std::find(std::begin(config_detail::kAggregates), std::end(config_detail::kAggregates),
                   aggregate) != std::end(config_detail::kAggregates) &&
         ParseDuration(suffix.substr(underscore + 1)).ok();
}

const RetentionPolicy* RetentionConfig::PolicyFor(std::string_view tag) const {
  if (IsRollupTag(tag)) return nullptr;
  for (const RetentionPolicy& p : policies)
    if (p.Covers(tag)) return &p;
  return nullptr;
}

Result<RetentionConfig> RetentionConfig::Parse(const std::string& yaml, const std::string& file) {
  RetentionConfig config;
  FH_ASSIGN_OR_RETURN(config.policies,
                      ReadDefinitions<RetentionPolicy>(yaml, file, "policies", "policy",
                                                       [&](const YAML::Node& n, size_t i) {
                                                         return config_detail::ReadOne(file, n, i);
                                                       },
                                                       {"every"}));
  if (yaml.empty()) return config;
  const YAML::Node root = YAML::Load(yaml);  // parsed once already: no syntax error here
  if (root.IsMap() && root["every"]) {
    FH_ASSIGN_OR_RETURN(config.every_ns, config_detail::DurationOf(file, root["every"], "every"));
    if (config.every_ns < kNanosPerSecond)
      return YamlError(file, root["every"], "every: at least 1s");
  }
  return config;
}

Result<RetentionConfig> RetentionConfig::Load(const std::string& path) {
  FH_ASSIGN_OR_RETURN(std::optional<std::string> text,
                      ReadDefinitionsFile(path, "retention policies"));
  if (!text) return RetentionConfig{};
  return Parse(*text, path);
}

}  // namespace fh::analytics::retention
