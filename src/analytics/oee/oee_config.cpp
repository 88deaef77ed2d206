#include "analytics/oee/oee_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "common/glob.h"
#include "common/time.h"

namespace fh::analytics::oee {
namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
constexpr std::array<std::string_view, 5> kBucketNames = {"production", "setup", "delay", "down",
                                                          "planned"};

constexpr std::array<std::string_view, 5> kShiftKeys = {"name", "days", "start", "end", "breaks"};
constexpr std::array<std::string_view, 2> kBreakKeys = {"start", "end"};
constexpr std::array<std::string_view, 2> kMicroStopKeys = {"threshold", "loss"};
constexpr std::array<std::string_view, 3> kCycleTimeKeys = {"equipment", "material", "seconds"};

// Errors say file:line and what is wrong with the key at `path`.
class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  template <typename... Args>
  Status Error(const YAML::Node& node, fmt::format_string<Args...> f, Args&&... args) const {
    return InvalidArgument("{}:{}: {}", file_, node.Mark().line + 1,
                           fmt::format(f, std::forward<Args>(args)...));
  }

  Result<std::string> Scalar(const YAML::Node& node, std::string_view path) const {
    if (!node.IsScalar()) return Error(node, "{} must be a text", path);
    return node.Scalar();
  }

  Status Keys(const YAML::Node& node, std::span<const std::string_view> known,
              std::string_view path) const {
    if (!node.IsMap()) return Error(node, "{} must be a mapping", path);
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return Error(kv.first, "unknown key '{}{}'", path.empty() ? "" : std::string(path) + ".",
                     key);
      }
    }
    return Status::Ok();
  }

  // "06:00" → 360; "24:00" is accepted as the end of a day.
  Result<int> TimeOfDay(const YAML::Node& node, std::string_view path) const {
    FH_ASSIGN_OR_RETURN(std::string text, Scalar(node, path));
    int h = 0, m = 0;
    char colon = 0;
    std::istringstream in(text);
    if (!(in >> h >> colon >> m) || colon != ':' || !in.eof() || h < 0 || m < 0 || m > 59 ||
        h * 60 + m > 24 * 60) {
      return Error(node, "{}: '{}' is not a time of day HH:MM", path, text);
    }
    return (h * 60 + m) % (24 * 60);
  }

 private:
  const std::string& file_;
};

Result<ShiftSpec> ReadShift(const Reader& r, const YAML::Node& node, std::string_view path) {
  FH_RETURN_IF_ERROR(r.Keys(node, kShiftKeys, path));
  ShiftSpec s;
  if (!node["name"] || !node["start"] || !node["end"]) {
    return r.Error(node, "{} needs name, start and end", path);
  }
  FH_ASSIGN_OR_RETURN(s.name, r.Scalar(node["name"], std::string(path) + ".name"));
  FH_ASSIGN_OR_RETURN(s.start_minute, r.TimeOfDay(node["start"], std::string(path) + ".start"));
  FH_ASSIGN_OR_RETURN(s.end_minute, r.TimeOfDay(node["end"], std::string(path) + ".end"));
  if (YAML::Node days = node["days"]) {
    if (!days.IsSequence()) return r.Error(days, "{}.days must be a list (mon..sun)", path);
    for (const auto& d : days) {
      FH_ASSIGN_OR_RETURN(std::string name, r.Scalar(d, std::string(path) + ".days"));
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      auto it = std::find(kDayNames.begin(), kDayNames.end(), name.substr(0, 3));
      if (it == kDayNames.end() || name.size() < 3) {
        return r.Error(d, "{}.days: '{}' is not a weekday (mon..sun)", path, d.Scalar());
      }
      s.days[it - kDayNames.begin()] = true;
    }
  } else {
    s.days.fill(true);
  }
  if (YAML::Node breaks = node["breaks"]) {
    if (!breaks.IsSequence()) return r.Error(breaks, "{}.breaks must be a list", path);
    for (const auto& b : breaks) {
      const std::string bp = std::string(path) + ".breaks";
      FH_RETURN_IF_ERROR(r.Keys(b, kBreakKeys, bp));
      if (!b["start"] || !b["end"]) return r.Error(b, "{} needs start and end", bp);
      ShiftSpec::Break br;
      FH_ASSIGN_OR_RETURN(br.start_minute, r.TimeOfDay(b["start"], bp + ".start"));
      FH_ASSIGN_OR_RETURN(br.end_minute, r.TimeOfDay(b["end"], bp + ".end"));
      s.breaks.push_back(br);
    }
  }
  return s;
}

Result<int64_t> ReadDate(const Reader& r, const YAML::Node& node) {
  FH_ASSIGN_OR_RETURN(std::string text, r.Scalar(node, "holidays"));
  Result<int64_t> ns = ParseRfc3339(text + "T00:00:00Z");
  if (!ns.ok() || text.size() != 10) {
    return r.Error(node, "holidays: '{}' is not a date YYYY-MM-DD", text);
  }
  return *ns / kNanosPerDay;
}

// Reads the keys a site may set over `base`.
Status ReadSettings(const Reader& r, const YAML::Node& node, OeeSettings* s) {
  if (YAML::Node tz = node["time_zone"]) {
    FH_ASSIGN_OR_RETURN(s->time_zone, r.Scalar(tz, "time_zone"));
    if (!cctz::load_time_zone(s->time_zone, &s->zone)) {
      return r.Error(tz,
                     "time_zone: unknown time zone '{}' (an IANA name such as "
                     "Europe/Berlin, or UTC)",
                     s->time_zone);
    }
  }
  if (YAML::Node p = node["performance"]) {
    FH_ASSIGN_OR_RETURN(std::string v, r.Scalar(p, "performance"));
    if (v == "capped") {
      s->performance = PerformanceConvention::kCapped;
    } else if (v == "iso") {
      s->performance = PerformanceConvention::kIso;
    } else {
      return r.Error(p, "performance must be capped or iso, got '{}'", v);
    }
  }
  if (YAML::Node m = node["micro_stops"]) {
    FH_RETURN_IF_ERROR(r.Keys(m, kMicroStopKeys, "micro_stops"));
    if (YAML::Node t = m["threshold"]) {
      FH_ASSIGN_OR_RETURN(std::string v, r.Scalar(t, "micro_stops.threshold"));
      Result<int64_t> ns = v == "0" ? Result<int64_t>(0) : ParseDuration(v);
      if (!ns.ok()) return r.Error(t, "micro_stops.threshold: {}", ns.status().message());
      s->micro_stop_ns = *ns;
    }
    if (YAML::Node l = m["loss"]) {
      FH_ASSIGN_OR_RETURN(std::string v, r.Scalar(l, "micro_stops.loss"));
      if (v == "availability") {
        s->micro_stop_loss = MicroStopLoss::kAvailability;
      } else if (v == "performance") {
        s->micro_stop_loss = MicroStopLoss::kPerformance;
      } else {
        return r.Error(l, "micro_stops.loss must be availability or performance, got '{}'", v);
      }
    }
  }
  if (YAML::Node shifts = node["shifts"]) {
    if (!shifts.IsSequence()) return r.Error(shifts, "shifts must be a list");
    s->shifts.clear();
    for (size_t i = 0; i < shifts.size(); ++i) {
      FH_ASSIGN_OR_RETURN(ShiftSpec shift, ReadShift(r, shifts[i], fmt::format("shifts[{}]", i)));
      s->shifts.push_back(std::move(shift));
    }
  }
  if (YAML::Node h = node["holidays"]) {
    if (!h.IsSequence()) return r.Error(h, "holidays must be a list of dates");
    s->holidays.clear();
    for (const auto& d : h) {
      FH_ASSIGN_OR_RETURN(int64_t day, ReadDate(r, d));
      s->holidays.push_back(day);
    }
    std::sort(s->holidays.begin(), s->holidays.end());
  }
  if (YAML::Node states = node["states"]) {
    if (!states.IsMap()) return r.Error(states, "states must map state names to buckets");
    for (const auto& kv : states) {
      const std::string name = kv.first.as<std::string>();
      Result<EquipmentState> state = ParseEquipmentState(name);
      if (!state.ok()) return r.Error(kv.first, "states: {}", state.status().message());
      FH_ASSIGN_OR_RETURN(std::string bucket, r.Scalar(kv.second, "states." + name));
      auto it = std::find(kBucketNames.begin(), kBucketNames.end(), bucket);
      if (it == kBucketNames.end()) {
        return r.Error(kv.second,
                       "states.{}: '{}' is not a bucket (production, setup, delay, down, planned)",
                       name, bucket);
      }
      s->bucket_of_state[static_cast<int>(*state)] =
          static_cast<TimeBucket>(it - kBucketNames.begin());
    }
  }
  if (YAML::Node f = node["failures"]) {
    if (!f.IsSequence()) return r.Error(f, "failures must be a list of states");
    s->failure_state.fill(false);
    for (const auto& n : f) {
      FH_ASSIGN_OR_RETURN(std::string name, r.Scalar(n, "failures"));
      Result<EquipmentState> state = ParseEquipmentState(name);
      if (!state.ok()) return r.Error(n, "failures: {}", state.status().message());
      s->failure_state[static_cast<int>(*state)] = true;
    }
  }
  if (YAML::Node c = node["cycle_times"]) {
    if (!c.IsSequence()) return r.Error(c, "cycle_times must be a list");
    s->cycle_times.clear();
    for (const auto& n : c) {
      FH_RETURN_IF_ERROR(r.Keys(n, kCycleTimeKeys, "cycle_times"));
      CycleTimeRule rule;
      if (n["equipment"]) {
        FH_ASSIGN_OR_RETURN(rule.equipment, r.Scalar(n["equipment"], "cycle_times.equipment"));
      }
      if (n["material"]) {
        FH_ASSIGN_OR_RETURN(rule.material, r.Scalar(n["material"], "cycle_times.material"));
      }
      if (!n["seconds"]) return r.Error(n, "cycle_times: a rule needs seconds");
      try {
        rule.seconds = n["seconds"].as<double>();
      } catch (const YAML::Exception&) {
        return r.Error(n["seconds"], "cycle_times.seconds: '{}' is not a number",
                       n["seconds"].Scalar());
      }
      if (!(rule.seconds > 0)) {
        return r.Error(n["seconds"], "cycle_times.seconds must be above 0");
      }
      s->cycle_times.push_back(std::move(rule));
    }
  }
  return Status::Ok();
}

constexpr std::array<std::string_view, 10> kSettingKeys = {
    "time_zone", "performance", "micro_stops", "shifts", "holidays",
    "states",    "failures",    "cycle_times", "path",   "sites"};

}  // namespace

std::string_view ToString(TimeBucket b) {
  return kBucketNames[static_cast<int>(b)];
}

std::optional<double> OeeSettings::CycleTime(std::string_view equipment_path,
                                             std::string_view material) const {
  for (const CycleTimeRule& r : cycle_times) {
    if (GlobMatch(r.equipment, equipment_path) && GlobMatch(r.material, material)) {
      return r.seconds;
    }
  }
  return std::nullopt;
}

const OeeSettings& OeeConfig::For(std::string_view asset_path) const {
  const OeeSettings* best = &defaults;
  size_t best_len = 0;
  for (const auto& [path, settings] : sites) {
    const bool prefix = asset_path.starts_with(path) &&
                        (asset_path.size() == path.size() || asset_path[path.size()] == '/');
    if (prefix && path.size() >= best_len) {
      best = &settings;
      best_len = path.size();
    }
  }
  return *best;
}

Result<OeeConfig> OeeConfig::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  OeeConfig c;
  if (!root || root.IsNull()) return c;
  Reader r(file);
  try {
    FH_RETURN_IF_ERROR(r.Keys(root, kSettingKeys, ""));
    if (root["path"]) return r.Error(root["path"], "path belongs in a sites entry");
    FH_RETURN_IF_ERROR(ReadSettings(r, root, &c.defaults));
    if (YAML::Node sites = root["sites"]) {
      if (!sites.IsSequence()) return r.Error(sites, "sites must be a list");
      for (const auto& site : sites) {
        FH_RETURN_IF_ERROR(r.Keys(site, kSettingKeys, "sites[]"));
        if (!site["path"]) return r.Error(site, "a sites entry needs the path of its asset");
        if (site["sites"]) return r.Error(site["sites"], "sites do not nest");
        FH_ASSIGN_OR_RETURN(std::string path, r.Scalar(site["path"], "sites.path"));
        OeeSettings s = c.defaults;
        FH_RETURN_IF_ERROR(ReadSettings(r, site, &s));
        c.sites.emplace_back(std::move(path), std::move(s));
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  return c;
}

Result<OeeConfig> OeeConfig::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return OeeConfig{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("{}: cannot read the OEE settings", path);
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

}  // namespace fh::analytics::oee
