#include "analytics/alarms/alarm_config.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <yaml-cpp/yaml.h>

#include "analytics/definitions_file.h"

#include "common/enum_names.h"
#include "model/score_tag.h"

namespace fh::analytics::alarms {
namespace {

constexpr EnumNames<AlarmType, 8> kTypeNames = {{{AlarmType::kHigh, "high"},
                                                 {AlarmType::kLow, "low"},
                                                 {AlarmType::kRateOfChange, "rate-of-change"},
                                                 {AlarmType::kDeviation, "deviation"},
                                                 {AlarmType::kStale, "stale"},
                                                 {AlarmType::kState, "state"},
                                                 {AlarmType::kSpc, "spc"},
                                                 {AlarmType::kModel, "model"}}};

constexpr EnumNames<Priority, 4> kPriorityNames = {{{Priority::kCritical, "critical"},
                                                    {Priority::kHigh, "high"},
                                                    {Priority::kMedium, "medium"},
                                                    {Priority::kLow, "low"}}};

constexpr std::array<std::string_view, 21> kKeys = {
    "model",    "unit",      "name",        "type",    "tag",      "characteristic",  "setpoint",
    "limit",    "deadband",  "per",         "after",   "states",   "on_delay",        "off_delay",
    "priority", "equipment", "description", "latched", "re_alarm", "suppressed_when", "state"};

Result<int64_t> Duration(const std::string& file, const YAML::Node& node, const std::string& key) {
  FH_ASSIGN_OR_RETURN(std::string text, YamlAs<std::string>(file, node, key, "a duration"));
  Result<int64_t> ns = ParseDuration(text);
  if (!ns.ok()) return YamlError(file, node, fmt::format("{}: {}", key, ns.status().message()));
  return *ns;
}

// One value or a list of them.
Result<std::vector<double>> Values(const std::string& file, const YAML::Node& node,
                                   const std::string& key) {
  std::vector<double> out;
  if (node.IsScalar()) {
    FH_ASSIGN_OR_RETURN(double v, YamlAs<double>(file, node, key, "a number"));
    out.push_back(v);
  } else if (node.IsSequence() && node.size() > 0) {
    for (const YAML::Node& item : node) {
      FH_ASSIGN_OR_RETURN(double v, YamlAs<double>(file, item, key, "a number"));
      out.push_back(v);
    }
  } else {
    return YamlError(file, node, key + ": a number or a list of numbers");
  }
  return out;
}

Result<Suppression> ReadSuppression(const std::string& file, const YAML::Node& node,
                                    const std::string& where) {
  if (!node.IsMap()) return YamlError(file, node, where + ": a mapping {tag, states}");
  Suppression s;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (key != "tag" && key != "states") {
      return YamlError(file, kv.first, fmt::format("unknown key '{}.{}'", where, key));
    }
  }
  if (!node["tag"] || !node["states"])
    return YamlError(file, node, where + " needs a tag and states");
  FH_ASSIGN_OR_RETURN(s.tag, YamlAs<std::string>(file, node["tag"], where + ".tag", "a text"));
  FH_ASSIGN_OR_RETURN(s.states, Values(file, node["states"], where + ".states"));
  return s;
}

Result<AlarmDefinition> ReadOne(const std::string& file, const YAML::Node& n, size_t index) {
  std::string where = fmt::format("alarms[{}]", index);
  AlarmDefinition a;
  FH_ASSIGN_OR_RETURN(a.name, ReadItemName(file, n, where, kKeys));
  where = fmt::format("alarm '{}'", a.name);
  if (!n["type"])
    return YamlError(file, n,
                     where + " needs a type (" +
                         std::string("high, low, rate-of-change, deviation, stale, state, "
                                     "spc or model)"));
  FH_ASSIGN_OR_RETURN(std::string type, YamlAs<std::string>(file, n["type"], "type", "a text"));
  Result<AlarmType> parsed = EnumParse(kTypeNames, "alarm type", type);
  if (!parsed.ok()) return YamlError(file, n["type"], parsed.status().message());
  a.type = *parsed;

  auto text = [&](const char* key, std::string& out) -> Status {
    if (!n[key]) return Status::Ok();
    FH_ASSIGN_OR_RETURN(out, YamlAs<std::string>(file, n[key], where + "." + key, "a text"));
    return Status::Ok();
  };
  auto number = [&](const char* key, double& out) -> Status {
    if (!n[key]) return Status::Ok();
    FH_ASSIGN_OR_RETURN(out, YamlAs<double>(file, n[key], where + "." + key, "a number"));
    if (!std::isfinite(out)) return YamlError(file, n[key], where + "." + key + " must be finite");
    return Status::Ok();
  };
  auto duration = [&](const char* key, int64_t& out) -> Status {
    if (!n[key]) return Status::Ok();
    FH_ASSIGN_OR_RETURN(out, Duration(file, n[key], where + "." + key));
    return Status::Ok();
  };
  FH_RETURN_IF_ERROR(text("tag", a.tag));
  FH_RETURN_IF_ERROR(text("characteristic", a.characteristic));
  FH_RETURN_IF_ERROR(text("model", a.model));
  FH_RETURN_IF_ERROR(text("unit", a.unit));
  FH_RETURN_IF_ERROR(text("setpoint", a.setpoint));
  FH_RETURN_IF_ERROR(text("equipment", a.equipment));
  FH_RETURN_IF_ERROR(text("description", a.description));
  FH_RETURN_IF_ERROR(number("limit", a.limit));
  FH_RETURN_IF_ERROR(number("deadband", a.deadband));
  FH_RETURN_IF_ERROR(duration("per", a.per_ns));
  FH_RETURN_IF_ERROR(duration("after", a.after_ns));
  FH_RETURN_IF_ERROR(duration("on_delay", a.on_delay_ns));
  FH_RETURN_IF_ERROR(duration("off_delay", a.off_delay_ns));
  FH_RETURN_IF_ERROR(duration("re_alarm", a.re_alarm_ns));
  if (n["latched"]) {
    FH_ASSIGN_OR_RETURN(a.latched,
                        YamlAs<bool>(file, n["latched"], where + ".latched", "true or false"));
  }
  if (n["priority"]) {
    FH_ASSIGN_OR_RETURN(std::string p,
                        YamlAs<std::string>(file, n["priority"], where + ".priority", "a text"));
    Result<Priority> priority = ParsePriority(p);
    if (!priority.ok()) return YamlError(file, n["priority"], priority.status().message());
    a.priority = *priority;
  }
  const char* states_key = n["states"] ? "states" : "state";
  if (n[states_key]) {
    FH_ASSIGN_OR_RETURN(a.states, Values(file, n[states_key], where + "." + states_key));
  }
  if (n["suppressed_when"]) {
    FH_ASSIGN_OR_RETURN(a.suppressed_when,
                        ReadSuppression(file, n["suppressed_when"], where + ".suppressed_when"));
  }

  // What each type needs, and nothing it would ignore.
  const YAML::Node& at = n["type"];
  auto need = [&](bool has, const char* what) -> Status {
    if (has) return Status::Ok();
    return YamlError(file, at, fmt::format("{} ({} alarm) needs {}", where, type, what));
  };
  auto refuse = [&](const char* key) -> Status {
    if (!n[key]) return Status::Ok();
    return YamlError(file, n[key], fmt::format("{}: a {} alarm has no {}", where, type, key));
  };
  if (a.type == AlarmType::kSpc) {
    FH_RETURN_IF_ERROR(need(!a.characteristic.empty(), "a characteristic (of spc.yaml)"));
    for (const char* key : {"tag", "limit", "deadband", "setpoint", "states", "state", "after"})
      FH_RETURN_IF_ERROR(refuse(key));
    return a;
  }
  if (a.type == AlarmType::kModel) {
    FH_RETURN_IF_ERROR(
        need(!a.model.empty(), "a model (of the registry, scored by serve --score)"));
    FH_RETURN_IF_ERROR(refuse("tag"));
    a.tag = ModelScoreTag(a.model, a.unit);
  } else {
    FH_RETURN_IF_ERROR(refuse("model"));
    FH_RETURN_IF_ERROR(refuse("unit"));
  }
  FH_RETURN_IF_ERROR(need(!a.tag.empty(), "a tag"));
  FH_RETURN_IF_ERROR(refuse("characteristic"));
  const bool limited = a.type == AlarmType::kModel || a.type == AlarmType::kHigh ||
                       a.type == AlarmType::kLow || a.type == AlarmType::kRateOfChange ||
                       a.type == AlarmType::kDeviation;
  if (limited) {
    FH_RETURN_IF_ERROR(need(static_cast<bool>(n["limit"]), "a limit"));
  } else {
    FH_RETURN_IF_ERROR(refuse("limit"));
    FH_RETURN_IF_ERROR(refuse("deadband"));
  }
  if (a.deadband < 0) return YamlError(file, n["deadband"], where + ".deadband must be >= 0");
  if ((a.type == AlarmType::kRateOfChange || a.type == AlarmType::kDeviation) && a.limit <= 0) {
    return YamlError(file, n["limit"], where + ".limit must be > 0 (a magnitude)");
  }
  if (a.type != AlarmType::kRateOfChange) FH_RETURN_IF_ERROR(refuse("per"));
  if (a.type == AlarmType::kDeviation) {
    FH_RETURN_IF_ERROR(need(!a.setpoint.empty(), "a setpoint (the set-point's tag)"));
  } else {
    FH_RETURN_IF_ERROR(refuse("setpoint"));
  }
  if (a.type == AlarmType::kStale) {
    FH_RETURN_IF_ERROR(need(a.after_ns > 0, "after (how long without a value)"));
  } else {
    FH_RETURN_IF_ERROR(refuse("after"));
  }
  if (a.type == AlarmType::kState) {
    FH_RETURN_IF_ERROR(need(!a.states.empty(), "states (the values that are the alarm)"));
  } else {
    FH_RETURN_IF_ERROR(refuse("states"));
    FH_RETURN_IF_ERROR(refuse("state"));
  }
  return a;
}

}  // namespace

std::string_view AlarmTypeName(AlarmType type) {
  return EnumToString(kTypeNames, type);
}

std::string_view PriorityName(Priority p) {
  return EnumToString(kPriorityNames, p);
}

Result<Priority> ParsePriority(std::string_view text) {
  return EnumParse(kPriorityNames, "priority", text);
}

const AlarmDefinition* AlarmConfig::Find(std::string_view name) const {
  for (const AlarmDefinition& a : alarms) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Result<AlarmConfig> AlarmConfig::Parse(const std::string& yaml, const std::string& file) {
  AlarmConfig config;
  FH_ASSIGN_OR_RETURN(
      config.alarms,
      ReadDefinitions<AlarmDefinition>(
          yaml, file, "alarms", "alarm",
          [&](const YAML::Node& n, size_t i) { return ReadOne(file, n, i); }, {kNotifyKey}));
  return config;
}

Result<AlarmConfig> AlarmConfig::Load(const std::string& path) {
  FH_ASSIGN_OR_RETURN(std::optional<std::string> text,
                      ReadDefinitionsFile(path, "alarm definitions"));
  if (!text) return AlarmConfig{};
  return Parse(*text, path);
}

}  // namespace fh::analytics::alarms
