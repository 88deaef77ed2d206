#include "sim/fault_plan.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/time.h"
#include "sim/splitmix.h"

namespace fh::sim {

namespace {

constexpr const char* kSignals[] = {"spindle_speed",   "torque",    "process_temperature",
                                    "air_temperature", "tool_wear", "power"};

Status Bad(const std::string& file, const YAML::Node& n, const std::string& what) {
  return InvalidArgument("{}:{}: {}", file, n.Mark().line + 1, what);
}

Result<FaultKind> ParseKind(std::string_view s) {
  if (s == "step") return FaultKind::kStep;
  if (s == "drift") return FaultKind::kDrift;
  if (s == "stuck") return FaultKind::kStuck;
  if (s == "noise") return FaultKind::kNoise;
  if (s == "joint") return FaultKind::kJoint;
  return InvalidArgument("kind must be step, drift, stuck, noise or joint, not '{}'", s);
}

// A standard normal draw that depends only on (ts, fault, signal): the noise a fault adds
// does not move the plant's own random walks.
double NormalAt(TimestampNs ts, size_t fault, const std::string& signal) {
  uint64_t h =
      static_cast<uint64_t>(ts) * 0x9e3779b97f4a7c15ull ^ (fault + 1) * 0xbf58476d1ce4e5b9ull;
  for (char c : signal)
    h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return StandardNormal(h);
}

Result<Fault> ParseFault(const std::string& file, const YAML::Node& n, size_t index) {
  if (!n.IsMap()) return Bad(file, n, "each fault is a map: {name, kind, machine, ...}");
  static const std::set<std::string> kKeys = {"name",  "kind",     "machine", "change",
                                              "start", "duration", "end"};
  for (const auto& kv : n) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!kKeys.count(key)) {
      return Bad(file, kv.first,
                 fmt::format("unknown key '{}' (name, kind, machine, change, start, duration, "
                             "end)",
                             key));
    }
  }
  Fault f;
  f.name = n["name"] ? n["name"].as<std::string>() : fmt::format("fault-{}", index + 1);
  if (!n["kind"]) return Bad(file, n, "kind: step, drift, stuck, noise or joint");
  Result<FaultKind> kind = ParseKind(n["kind"].as<std::string>());
  if (!kind.ok()) return Bad(file, n["kind"], kind.status().message());
  f.kind = *kind;
  if (!n["machine"]) return Bad(file, n, "machine: the machine whose sensors it changes");
  f.machine = n["machine"].as<std::string>();
  const YAML::Node change = n["change"];
  if (!change || !change.IsMap() || change.size() == 0) {
    return Bad(file, change ? change : n,
               "change: {SIGNAL: AMOUNT, ...} in each signal's unit (stuck: AMOUNT 0)");
  }
  for (const auto& kv : change) {
    const std::string signal = kv.first.as<std::string>();
    if (std::find(std::begin(kSignals), std::end(kSignals), signal) == std::end(kSignals)) {
      return Bad(file, kv.first,
                 fmt::format("no signal '{}': spindle_speed, torque, process_temperature, "
                             "air_temperature, tool_wear or power",
                             signal));
    }
    try {
      f.change[signal] = kv.second.as<double>();
    } catch (const YAML::Exception&) {
      return Bad(file, kv.second, fmt::format("change.{}: a number", signal));
    }
  }
  if (f.kind == FaultKind::kJoint && f.change.size() < 2) {
    return Bad(file, change, "a joint fault changes two or more signals");
  }
  if (!n["start"]) return Bad(file, n, "start: a time");
  Result<int64_t> start = ParseTimePoint(n["start"].as<std::string>(), NowNs());
  if (!start.ok()) return Bad(file, n["start"], "start: " + start.status().message());
  f.start = *start;
  if (n["duration"]) {
    Result<int64_t> d = ParseDuration(n["duration"].as<std::string>());
    if (!d.ok() || *d <= 0) return Bad(file, n["duration"], "duration: such as 30m");
    f.end = f.start + *d;
  } else if (n["end"]) {
    Result<int64_t> end = ParseTimePoint(n["end"].as<std::string>(), NowNs());
    if (!end.ok() || *end <= f.start) return Bad(file, n["end"], "end: a time after start");
    f.end = *end;
  } else {
    return Bad(file, n, "duration (such as 30m) or end");
  }
  return f;
}

}  // namespace

std::string_view ToString(FaultKind k) {
  switch (k) {
    case FaultKind::kStep:
      return "step";
    case FaultKind::kDrift:
      return "drift";
    case FaultKind::kStuck:
      return "stuck";
    case FaultKind::kNoise:
      return "noise";
    case FaultKind::kJoint:
      return "joint";
  }
  return "?";
}

Result<FaultPlan> FaultPlan::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  if (!root.IsMap() || !root["faults"] || !root["faults"].IsSequence()) {
    return InvalidArgument("{}: expected `faults:`, a list of faults", file);
  }
  FaultPlan plan;
  for (size_t i = 0; i < root["faults"].size(); ++i) {
    try {
      FH_ASSIGN_OR_RETURN(Fault f, ParseFault(file, root["faults"][i], i));
      plan.faults_.push_back(std::move(f));
    } catch (const YAML::Exception& e) {
      return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
    }
  }
  return plan;
}

Result<FaultPlan> FaultPlan::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("{}: cannot read the fault plan", path);
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

std::string FaultPlan::ToYaml() const {
  std::string out = "faults:\n";
  for (const Fault& f : faults_) {
    std::string change;
    for (const auto& [signal, amount] : f.change)
      change += fmt::format("{}{}: {}", change.empty() ? "" : ", ", signal, amount);
    out += fmt::format(
        "  - {{name: {}, kind: {}, machine: {}, change: {{{}}}, start: {}, end: {}}}\n", f.name,
        ToString(f.kind), f.machine, change, FormatRfc3339(f.start), FormatRfc3339(f.end));
  }
  return out;
}

double FaultPlan::Apply(const std::string& machine, const std::string& signal, TimestampNs ts,
                        double value) {
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    if (ts < f.start || ts >= f.end || f.machine != machine) continue;
    auto c = f.change.find(signal);
    if (c == f.change.end()) continue;
    switch (f.kind) {
      case FaultKind::kStep:
      case FaultKind::kJoint:
        value += c->second;
        break;
      case FaultKind::kDrift:
        value +=
            c->second * static_cast<double>(ts - f.start) / static_cast<double>(f.end - f.start);
        break;
      case FaultKind::kStuck:
        value = held_.try_emplace({i, signal}, value).first->second;
        break;
      case FaultKind::kNoise:
        value += c->second * NormalAt(ts, i, signal);
        break;
    }
  }
  return value;
}

}  // namespace fh::sim
