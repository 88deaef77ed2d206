#include "govern/stream_mapping.h"

#include <fstream>
#include <sstream>

#include "common/glob.h"
#include "govern/mapping.h"
#include "govern/rule_parse.h"
#include "govern/yaml_reader.h"

namespace fh::govern {
namespace {

// A point's own rules only: the batch-level and store-level kinds have nothing to check on
// a stream of points.
Status CheckStreamRule(const YamlReader& yaml, const YAML::Node& node, const RuleSpec& r) {
  if (r.kind == CheckKind::kUnique || r.kind == CheckKind::kReference ||
      r.kind == CheckKind::kRowCountChange) {
    return yaml.Error(node, fmt::format("rule '{}' does not apply to streams (allowed: not_null, "
                                        "range, regex, in_set, monotonic, freshness)",
                                        ToString(r.kind)));
  }
  for (const std::string& f : r.fields) {
    if (f != "value" && f != "timestamp" && f != "tag") {
      return yaml.Error(node, fmt::format("rule '{}': points have fields value, timestamp and "
                                          "tag, not '{}'",
                                          r.id, f));
    }
  }
  return Status::Ok();
}

Status ParseRules(const YamlReader& yaml, const YAML::Node& list, std::vector<RuleSpec>* out) {
  if (!list.IsSequence()) return yaml.Error(list, "rules: expected a list");
  for (const auto& item : list) {
    FH_ASSIGN_OR_RETURN(RuleSpec r, ParseRule(yaml, item, "value"));
    FH_RETURN_IF_ERROR(CheckStreamRule(yaml, item, r));
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

Result<StreamMapping> ParseRoot(const YamlReader& yaml, const YAML::Node& root) {
  if (!root.IsMap()) return yaml.Error(root, "expected a map with signals and rules");
  FH_RETURN_IF_ERROR(
      yaml.CheckKeys(root, "stream mapping", {"mapping", "description", "signals", "rules"}));
  StreamMapping m;
  if (root["mapping"]) {
    FH_ASSIGN_OR_RETURN(m.name, yaml.Scalar(root["mapping"], "mapping"));
    if (m.name.empty() || m.name.find_first_of("@/ ") != std::string::npos) {
      return yaml.Error(root["mapping"], "mapping: a name without '@', '/' or spaces");
    }
  }
  if (const YAML::Node& signals = root["signals"]) {
    if (!signals.IsSequence()) return yaml.Error(signals, "signals: expected a list");
    for (const auto& item : signals) {
      FH_RETURN_IF_ERROR(yaml.CheckKeys(item, "signal", {"tags", "unit", "to", "rules"}));
      StreamSignal s;
      s.line = item.Mark().line + 1;
      if (!item["tags"]) return yaml.Error(item, "signal: needs 'tags' (a glob or a list)");
      FH_ASSIGN_OR_RETURN(s.tags, yaml.Strings(item["tags"], "signal: tags"));
      if (item["unit"]) {
        FH_ASSIGN_OR_RETURN(s.unit, yaml.Scalar(item["unit"], "signal: unit"));
      }
      if (item["to"]) {
        FH_ASSIGN_OR_RETURN(s.to_unit, yaml.Scalar(item["to"], "signal: to"));
        if (s.unit.empty()) return yaml.Error(item["to"], "signal: 'to' needs the 'unit' it is in");
      }
      if (!s.unit.empty()) {
        Result<UnitConversion> c = MakeConversion(s.unit, s.to_unit.empty() ? s.unit : s.to_unit);
        if (!c.ok()) return yaml.Error(item, "signal: " + c.status().message());
      }
      if (item["rules"]) FH_RETURN_IF_ERROR(ParseRules(yaml, item["rules"], &s.rules));
      m.signals.push_back(std::move(s));
    }
  }
  if (root["rules"]) FH_RETURN_IF_ERROR(ParseRules(yaml, root["rules"], &m.rules));
  return m;
}

// RuleChecker compiles a samples mapping's rules: a stream's rules are those.
Mapping RulesAsMapping(const StreamMapping& m, std::vector<RuleSpec> rules) {
  Mapping out;
  out.name = m.name;
  out.path = m.path;
  out.entity = "samples";
  out.samples = SamplesMapping{};
  out.rules = std::move(rules);
  return out;
}

}  // namespace

Result<StreamMapping> ParseStreamMapping(const std::string& text, const std::string& display_name) {
  YamlReader yaml(display_name);
  FH_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, display_name));
  try {
    FH_ASSIGN_OR_RETURN(StreamMapping m, ParseRoot(yaml, root));
    m.text = text;
    return m;
  } catch (const YAML::Exception& e) {
    return yaml.FromException(e);
  }
}

Result<StreamMapping> LoadStreamMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("stream mapping '{}' cannot be read", path);
  std::stringstream ss;
  ss << in.rdbuf();
  FH_ASSIGN_OR_RETURN(StreamMapping m, ParseStreamMapping(ss.str(), path));
  m.path = path;
  return m;
}

std::string FailureText(const RejectedPoint& point) {
  std::string out;
  for (const Violation& v : point.violations) {
    if (v.severity != Severity::kReject) continue;
    out += fmt::format("{}rule '{}': {}", out.empty() ? "" : "; ", v.rule, v.message);
  }
  return out;
}

Result<std::unique_ptr<StreamGovernor>> StreamGovernor::Make(StreamMapping mapping) {
  std::unique_ptr<StreamGovernor> g(new StreamGovernor(std::move(mapping)));
  for (const StreamSignal& s : g->mapping_.signals) {
    Group group;
    if (!s.unit.empty()) {
      FH_ASSIGN_OR_RETURN(group.conversion,
                          MakeConversion(s.unit, s.to_unit.empty() ? s.unit : s.to_unit));
    }
    if (!s.rules.empty()) {
      FH_ASSIGN_OR_RETURN(group.checker, RuleChecker::Make(RulesAsMapping(g->mapping_, s.rules)));
    }
    g->groups_.push_back(std::move(group));
  }
  if (!g->mapping_.rules.empty()) {
    FH_ASSIGN_OR_RETURN(g->every_point_,
                        RuleChecker::Make(RulesAsMapping(g->mapping_, g->mapping_.rules)));
  }
  return g;
}

StreamGovernor::~StreamGovernor() = default;

int StreamGovernor::GroupOf(const std::string& tag) {
  if (auto it = group_of_.find(tag); it != group_of_.end()) return it->second;
  int group = -1;
  for (size_t g = 0; g < mapping_.signals.size() && group < 0; ++g) {
    for (const std::string& glob : mapping_.signals[g].tags) {
      if (GlobMatch(glob, tag)) {
        group = static_cast<int>(g);
        break;
      }
    }
  }
  // A bound on the cache, not on correctness: a flood of one-off tag names starts it over.
  if (group_of_.size() >= 1'000'000) group_of_.clear();
  group_of_.emplace(tag, group);
  return group;
}

GovernedBatch StreamGovernor::Apply(const SampleBatch& in, int64_t now_ns) {
  GovernedBatch out;
  std::lock_guard<std::mutex> lock(mu_);
  const std::vector<std::string>& names = in.tag_names();
  std::vector<int> group(names.size());
  for (size_t t = 0; t < names.size(); ++t)
    group[t] = GroupOf(names[t]);

  // The output batch is built only from the first point that differs from the input.
  auto diverge = [&](size_t upto) {
    out.all_kept = false;
    out.kept.Reserve(in.size());
    for (const std::string& name : names)
      out.kept.InternTag(name);
    for (size_t j = 0; j < upto; ++j)
      out.kept.Add(in.tag()[j], in.ts()[j], in.value()[j], in.quality()[j]);
  };
  MappedSample s;
  std::vector<Violation> violations;
  for (size_t i = 0; i < in.size(); ++i) {
    const uint32_t t = in.tag()[i];
    const Group* g = group[t] >= 0 ? &groups_[static_cast<size_t>(group[t])] : nullptr;
    const double received = in.value()[i];
    s.value = g ? g->conversion.Apply(received) : received;
    s.timestamp = in.ts()[i];
    s.quality = in.quality()[i];
    bool ok = true;
    violations.clear();
    if ((g && g->checker) || every_point_) {
      s.tag.assign(names[t]);
      if (g && g->checker) ok &= g->checker->CheckSamples({&s, 1}, violations, now_ns);
      if (every_point_) ok &= every_point_->CheckSamples({&s, 1}, violations, now_ns);
    }
    if (!ok) {
      if (out.all_kept) diverge(i);
      out.rejected.push_back(
          {i, names[t], s.timestamp, received, s.quality, std::move(violations)});
      continue;
    }
    if (!violations.empty()) ++out.warnings;
    if (out.all_kept && s.value != received) diverge(i);
    if (!out.all_kept) out.kept.Add(t, s.timestamp, s.value, s.quality);
  }
  return out;
}

std::vector<StreamGovernor::RuleTally> StreamGovernor::Tallies() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RuleTally> out;
  auto add = [&out](const RuleChecker& checker, const std::string& tags) {
    for (CheckTally& t : checker.Tallies()) {
      // The built-in checks (casts, ...) have nothing to count on numeric points.
      if (t.check > CheckKind::kRowCountChange) continue;
      out.push_back({tags, std::move(t)});
    }
  };
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!groups_[g].checker) continue;
    std::string tags;
    for (const std::string& glob : mapping_.signals[g].tags)
      tags += (tags.empty() ? "" : ",") + glob;
    add(*groups_[g].checker, tags);
  }
  if (every_point_) add(*every_point_, "*");
  return out;
}

}  // namespace fh::govern
